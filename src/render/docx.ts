// The one wrapper around docxtemplater + pizzip. Every .docx xietong writes goes through here, so
// that tag syntax, missing-value handling and template errors behave the same for forms, the
// notice, agreements, score sheets and certificates.
//
// Tags are looked up verbatim (`{needs.problems}` reads the key "needs.problems"), matching the
// dotted field names of the record format (README); inside loops the lookup falls back to outer scopes.
import { createRequire } from 'node:module';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { RunError } from '../errors.js';

const require = createRequire(import.meta.url);
// InspectModule ships as CommonJS with a default-export typing that does not match at run time.
const InspectModule = require('docxtemplater/js/inspect-module.js') as () => {
  getAllStructuredTags(): StructuredPart[];
};

interface StructuredPart {
  type: string;
  value: string;
  module?: string;
  subparsed?: StructuredPart[];
}

export interface TemplateTag {
  /** The tag as written, e.g. `needs.problems` or `paragraphs` for a loop. */
  tag: string;
  /** Loop tags enclosing this one, outermost first. */
  loops: string[];
  isLoop: boolean;
}

export interface TemplateProblem {
  id: string;
  tag?: string;
  file?: string;
  explanation: string;
}

export interface RenderOutcome {
  buffer: Buffer;
  /** Tags whose value was null or undefined; printed as empty, never as "undefined". */
  missing: string[];
}

const verbatimParser = (tag: string) => ({
  get(scope: unknown): unknown {
    if (tag === '.') return scope;
    if (scope !== null && typeof scope === 'object' && Object.hasOwn(scope, tag)) {
      return (scope as Record<string, unknown>)[tag];
    }
    return undefined;
  },
});

function compile(template: Buffer, name: string, modules: object[] = []) {
  let zip: PizZip;
  try {
    zip = new PizZip(template);
  } catch (err) {
    throw new RunError(
      'templateInvalid',
      `${name} is not a .docx file (not a zip archive). 模板文件 ${name} 不是有效的 .docx 文件。`,
      'Open and save it again in Word, WPS or LibreOffice as .docx, or restore it from templates/.',
      { cause: err },
    );
  }
  const missing: string[] = [];
  try {
    const doc = new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      parser: verbatimParser,
      modules,
      nullGetter(part: { value?: string; module?: string }) {
        if (part.value && !part.module) missing.push(part.value);
        return '';
      },
    });
    return { doc, missing };
  } catch (err) {
    throw templateError(err, name);
  }
}

/** Renders a template with data. Throws RunError('templateInvalid') listing every template problem. */
export function renderDocx(
  template: Buffer,
  data: Record<string, unknown>,
  name = 'template',
  meta?: DocumentMeta,
): RenderOutcome {
  const { doc, missing } = compile(template, name);
  try {
    doc.render(data);
  } catch (err) {
    throw templateError(err, name);
  }
  const zip = doc.getZip();
  if (meta) setCoreProperties(zip, meta);
  const buffer = zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
  return { buffer, missing: [...new Set(missing)] };
}

/** What a rendered document says it is: its own title and author, not the template's. */
export interface DocumentMeta {
  title: string;
  author: string;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The template's core properties name the template («三方协议模板»); LibreOffice carries them into the
 * PDF's Title and Author, which viewers show and archives index. The rendered file names itself.
 */
function setCoreProperties(zip: PizZip, meta: DocumentMeta): void {
  const file = zip.file('docProps/core.xml');
  if (!file) return;
  let xml = file.asText();
  const put = (tag: string, value: string) => {
    const re = new RegExp(`<${tag}>[\\s\\S]*?</${tag}>|<${tag}/>`);
    xml = re.test(xml)
      ? xml.replace(re, `<${tag}>${xmlText(value)}</${tag}>`)
      : xml.replace('</cp:coreProperties>', `<${tag}>${xmlText(value)}</${tag}></cp:coreProperties>`);
  };
  put('dc:title', meta.title);
  put('dc:creator', meta.author);
  zip.file('docProps/core.xml', xml);
}

/** Every tag of a template, with the loops that enclose it. */
export function listTags(template: Buffer, name = 'template'): TemplateTag[] {
  const inspect = InspectModule();
  compile(template, name, [inspect]);
  const out: TemplateTag[] = [];
  const walk = (parts: StructuredPart[], loops: string[]) => {
    for (const p of parts) {
      if (p.type !== 'placeholder') continue;
      const isLoop = p.module === 'loop';
      out.push({ tag: p.value, loops, isLoop });
      if (p.subparsed) walk(p.subparsed, isLoop ? [...loops, p.value] : loops);
    }
  };
  walk(inspect.getAllStructuredTags(), []);
  return out;
}

/** Collects docxtemplater's "Multi error" into one message naming each broken tag. */
export function templateProblems(err: unknown): TemplateProblem[] {
  const e = err as { properties?: { id?: string; errors?: unknown[]; explanation?: string } };
  const list = e?.properties?.errors ?? (e?.properties ? [err] : []);
  return list.map((item) => {
    const p = (item as { properties?: Record<string, unknown> }).properties ?? {};
    return {
      id: String(p.id ?? 'unknown'),
      tag: typeof p.xtag === 'string' ? p.xtag : undefined,
      file: typeof p.file === 'string' ? p.file : undefined,
      explanation: String(p.explanation ?? (item as Error).message ?? item),
    };
  });
}

function templateError(err: unknown, name: string): RunError {
  const problems = templateProblems(err);
  if (problems.length === 0) {
    return new RunError(
      'templateInvalid',
      `${name}: ${String((err as Error)?.message ?? err)}`,
      'Check the template.',
      {
        cause: err,
      },
    );
  }
  const lines = problems.map(
    (p) => `  - [${p.id}]${p.tag ? ` tag {${p.tag}}` : ''}${p.file ? ` in ${p.file}` : ''}: ${p.explanation}`,
  );
  return new RunError(
    'templateInvalid',
    `模板 ${name} 有 ${problems.length} 处错误 / template ${name} has ${problems.length} error(s):\n${lines.join('\n')}`,
    'Open the template in Word or LibreOffice and fix the tags listed above (each tag is {name} in one run of text).',
    { cause: err },
  );
}
