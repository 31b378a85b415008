// A development (or test) corpus for bench:ocr: the three forms typeset by "someone else" in many
// ways (scripts/corpus/typeset.ts) with fictional values (values.ts), stamped, then captured the
// ways the bureau receives paper (capture.ts). Deterministic by seed: tune on dev seeds, report on
// a test seed never looked at while tuning.
//
//   npx tsx scripts/make-corpus.ts --seed dev-1 [--per-form 3] [--out output/corpus/dev-1]
//
// Writes <out>/records.json (the truth), <out>/manifest.json (typesettings, which fields each page
// prints, capture kinds), <out>/docx/<id>.docx (the filled Word files themselves) and
// <out>/<kind>/<file> with <file>.truth.json for every capture kind.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CaptureKind, captureFiles } from './corpus/capture.js';
import { typesetCorpus } from './corpus/forms.js';

export const CAPTURE_KINDS: readonly CaptureKind[] = [
  'clean',
  'office-scan',
  'feeder-pdf',
  'phone-photo',
  'chat-photo',
];

export async function makeCorpus(opts: {
  seed: string;
  perForm: number;
  out: string;
  kinds?: readonly CaptureKind[];
  log?: (line: string) => void;
}): Promise<void> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const kinds = opts.kinds ?? CAPTURE_KINDS;
  const started = performance.now();
  const lap = (what: string) =>
    log(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${what}`);
  await rm(opts.out, { recursive: true, force: true });
  await mkdir(join(opts.out, 'docx'), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'xietong-corpus-'));
  try {
    const forms = await typesetCorpus({ seed: opts.seed, perForm: opts.perForm, workDir: work });
    lap(`${forms.length} forms typeset, converted and stamped`);
    for (const f of forms) await writeFile(join(opts.out, 'docx', `${f.record.id}.docx`), f.docx);
    await writeFile(
      join(opts.out, 'records.json'),
      `${JSON.stringify(
        forms.map((f) => f.record),
        null,
        1,
      )}\n`,
    );
    const pages = forms.flatMap((f) => f.pages.map((p) => ({ ...p, id: f.record.id, form: f.record.form })));
    for (const kind of kinds) {
      const dir = join(opts.out, kind);
      await mkdir(dir, { recursive: true });
      const files = await captureFiles(kind, pages, opts.seed);
      for (const file of files) {
        await writeFile(join(dir, file.name), file.bytes);
        await writeFile(join(dir, `${file.name}.truth.json`), `${JSON.stringify(file.truth, null, 1)}\n`);
      }
      lap(`${kind}: ${files.length} files`);
    }
    const manifest = {
      seed: opts.seed,
      perForm: opts.perForm,
      kinds,
      forms: forms.map((f) => ({
        id: f.record.id,
        form: f.record.form,
        typesetting: f.typesetting,
        pages: f.pages.map((p) => ({ formPage: p.formPage, fields: p.fieldsOnPage })),
      })),
    };
    await writeFile(join(opts.out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: 'dev-1' },
      'per-form': { type: 'string', default: '3' },
      out: { type: 'string' },
      kinds: { type: 'string' },
    },
  });
  const seed = values.seed as string;
  await makeCorpus({
    seed,
    perForm: Number(values['per-form']),
    out: values.out ?? join('output', 'corpus', seed),
    ...(values.kinds ? { kinds: values.kinds.split(',') as CaptureKind[] } : {}),
  });
}
