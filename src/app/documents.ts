// Use case of 文书: render a set of documents for chosen projects — draft or final, a seal image or
// the seal area left blank, each file or one print file. The kinds are a list: a new document
// (签到表, 立项通知 …) slots in as one more entry, and the workbench's 文书 lists whatever is here.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PdfConverter } from '../convert/index.js';
import { LibreOfficePool } from '../convert/pool.js';
import type { Project } from '../projects/types.js';
import { type Readiness, readiness } from '../projects/verify.js';
import { loadAgreementConfig, renderAgreements } from '../render/agreements.js';
import { renderCertificates } from '../render/certificates.js';
import type { DocumentKind, RenderDocumentsSummary } from '../render/documents.js';
import {
  EVALUATED_STATES,
  FUNDED_STATES,
  panelOf,
  renderAcceptanceApplications,
  renderEnterpriseEvaluations,
  renderGroupOpinions,
  renderSignIn,
} from '../render/programme.js';
import { renderProposal } from '../render/proposal.js';
import { renderScoreSheets } from '../render/scoresheets.js';
import { loadScoringConfig } from '../scores/config.js';
import { anonymousExperts } from '../scores/experts.js';
import type { SqliteRecordStore } from '../store/index.js';
import { recordStates } from './projects.js';
import { lastRanking, toScore } from './scores.js';
import { type SealArea, SILENT, type StampRun, stampDocuments } from './stamping.js';

export interface RenderContext {
  projects: readonly Project[];
  outDir: string;
  pdf: boolean;
  draft: boolean;
  converter?: PdfConverter;
  readiness: (doc: 'agreement' | 'certificate') => Map<string, Readiness>;
  /** Where the last score import left its ranking (for the proposal). */
  scoresDir: string;
}

export interface KindOutcome {
  summary: RenderDocumentsSummary;
  /** Projects this kind does not apply to yet, and why. */
  skipped: { id: string; reason: string }[];
}

export interface DocumentKindDef {
  kind: string;
  /** The document's Chinese name, as the page shows it. */
  name: string;
  /** What it is for, one line. */
  about: string;
  /** One file per project (else one for the whole programme). */
  perProject: boolean;
  /** Where a seal image goes (see stamping.ts). */
  seal: SealArea;
  render(ctx: RenderContext): Promise<KindOutcome>;
}

export const DOCUMENT_KINDS: readonly DocumentKindDef[] = [
  {
    kind: 'agreement',
    name: '三方协议',
    about: '甲方企业、乙方人才（团队）、丙方派出单位三方签订，每个项目一份',
    perProject: true,
    seal: 'party',
    async render(ctx) {
      const summary = await renderAgreements(ctx.projects, {
        outDir: ctx.outDir,
        pdf: ctx.pdf,
        config: await loadAgreementConfig(),
        converter: ctx.converter,
        readiness: ctx.readiness('agreement'),
        draft: ctx.draft,
      });
      return { summary, skipped: [] };
    },
  },
  {
    kind: 'scoresheet',
    name: '评审打分表',
    about: '现场评审时每位专家每个项目一份（匿名专家 3 位，姓名手写），由专家签字',
    perProject: true,
    seal: 'none',
    async render(ctx) {
      const ready = toScore(ctx.projects);
      const result = await renderScoreSheets(ready, {
        outDir: ctx.outDir,
        pdf: ctx.pdf,
        config: await loadScoringConfig(),
        experts: anonymousExperts(3),
        converter: ctx.converter,
      });
      const skipped = ctx.projects
        .filter((p) => !ready.includes(p))
        .map((p) => ({ id: p.id, reason: '尚未签订三方协议' }));
      return { summary: result.sheets, skipped };
    },
  },
  {
    kind: 'proposal',
    name: '评审结果与经费建议',
    about: '最近一次导入评分后的排名与建议资助金额，全部项目一份',
    perProject: false,
    seal: 'party',
    async render(ctx) {
      const ranking = await lastRanking(ctx.scoresDir);
      if (!ranking) {
        return {
          summary: { kind: 'proposal', outDir: ctx.outDir, written: [], failures: [], templateProblems: [] },
          skipped: [{ id: '评审结果与经费建议', reason: '还没有导入评分：先到「评审」上传专家填好的评分表' }],
        };
      }
      const summary = await renderProposal(ranking, ctx.projects, { outDir: ctx.outDir, pdf: ctx.pdf });
      return { summary, skipped: [] };
    },
  },
  {
    kind: 'certificate',
    name: '验收证书',
    about: '验收通过的项目一份，载明目标完成情况、专家组意见和验收结论',
    perProject: true,
    seal: 'party',
    async render(ctx) {
      const result = await renderCertificates(ctx.projects, {
        outDir: ctx.outDir,
        pdf: ctx.pdf,
        converter: ctx.converter,
        readiness: ctx.readiness('certificate'),
        draft: ctx.draft,
      });
      return { summary: result.summary, skipped: result.skipped };
    },
  },
  {
    kind: 'signin',
    name: '专家评审签到表',
    about: '现场评审时专家签到，附回避与保密承诺，列出待评审的项目，全部项目一份',
    perProject: false,
    seal: 'none',
    async render(ctx) {
      const { chosen, skipped } = inStates(ctx.projects, EVALUATED_STATES, '尚未签订三方协议，不在评审之列');
      if (chosen.length === 0) return { summary: nothing('signin', ctx.outDir), skipped };
      const date = chosen.find((p) => p.evaluation.date)?.evaluation.date ?? null;
      const summary = await renderSignIn(chosen, panelOf(chosen), date, withPdf(ctx));
      return { summary, skipped };
    },
  },
  {
    kind: 'groupopinion',
    name: '专家组综合意见表',
    about: '评审后专家组对每个项目的综合意见、建议资助金额和组长签字，每个项目一份',
    perProject: true,
    seal: 'none',
    async render(ctx) {
      const { chosen, skipped } = inStates(ctx.projects, EVALUATED_STATES, '尚未签订三方协议，不在评审之列');
      const summary = await renderGroupOpinions(chosen, panelOf(chosen), withPdf(ctx));
      return { summary, skipped };
    },
  },
  {
    kind: 'acceptanceapp',
    name: '验收申请表',
    about: '立项资助的项目期满申请验收，列出考核指标、完成情况和经费使用，每个项目一份',
    perProject: true,
    seal: 'none',
    async render(ctx) {
      const { chosen, skipped } = inStates(ctx.projects, FUNDED_STATES, '尚未立项资助');
      const summary = await renderAcceptanceApplications(chosen, withPdf(ctx));
      return { summary, skipped };
    },
  },
  {
    kind: 'enterpriseevaluation',
    name: '甲方评价意见表',
    about: '甲方企业对入企人才（团队）工作的评价，验收时提交，每个项目一份',
    perProject: true,
    seal: 'none',
    async render(ctx) {
      const { chosen, skipped } = inStates(ctx.projects, FUNDED_STATES, '尚未立项资助');
      const summary = await renderEnterpriseEvaluations(chosen, withPdf(ctx));
      return { summary, skipped };
    },
  },
];

/** The projects a kind applies to (by state), and the others with the reason. */
function inStates(projects: readonly Project[], states: readonly Project['state'][], reason: string) {
  const chosen = projects.filter((p) => states.includes(p.state));
  const skipped = projects.filter((p) => !chosen.includes(p)).map((p) => ({ id: p.id, reason }));
  return { chosen, skipped };
}

const withPdf = (ctx: RenderContext) => ({ outDir: ctx.outDir, pdf: ctx.pdf, converter: ctx.converter });

const nothing = (kind: DocumentKind, outDir: string): RenderDocumentsSummary => ({
  kind,
  outDir,
  written: [],
  failures: [],
  templateProblems: [],
});

export const documentKind = (kind: string): DocumentKindDef | undefined =>
  DOCUMENT_KINDS.find((k) => k.kind === kind);

export interface RenderSetOptions {
  kinds: readonly string[];
  /** Projects to render for (default all). */
  projectIds?: readonly string[];
  draft: boolean;
  /** PDF as well as .docx (needs LibreOffice); a seal and the print file need it. */
  pdf: boolean;
  /** A seal image and the organisation it belongs to (default the file's name). */
  seal?: { image: string; for?: string };
  /** One merged PDF of everything written, for duplex printing. */
  printFile?: boolean;
  out: string;
  scoresDir: string;
  converter?: PdfConverter;
}

export interface RenderedFile {
  kind: string;
  kindName: string;
  id: string;
  /** The file to hand out: the stamped copy when there is one, else the PDF, else the .docx. */
  path: string;
  docx: string;
  pdf?: string;
  stamped?: string;
  missing: string[];
  warnings: string[];
}

export interface RenderSetOutcome {
  files: RenderedFile[];
  failures: { kind: string; kindName: string; id: string; message: string }[];
  skipped: { kind: string; kindName: string; id: string; reason: string }[];
  printFile?: string;
}

/** Renders each kind asked for into its own folder under `out`, then stamps and merges as asked. */
export async function renderDocumentSet(
  store: SqliteRecordStore,
  options: RenderSetOptions,
): Promise<RenderSetOutcome> {
  const all = await store.listProjects();
  const projects = options.projectIds ? all.filter((p) => options.projectIds?.includes(p.id)) : all;
  const records = await recordStates(store);
  const outcome: RenderSetOutcome = { files: [], failures: [], skipped: [] };
  const pdf = options.pdf || Boolean(options.seal) || Boolean(options.printFile);
  // One warm LibreOffice for the batch when python3-uno is there; else each kind starts its own.
  let pool: LibreOfficePool | undefined;
  if (pdf && !options.converter) {
    try {
      pool = new LibreOfficePool({ workers: 1 });
    } catch {
      pool = undefined;
    }
  }
  const stampedPdfs: string[] = [];
  try {
    for (const name of options.kinds) {
      const def = documentKind(name);
      if (!def) throw new Error(`unknown document kind ${name}`);
      const outDir = join(options.out, def.name);
      await mkdir(outDir, { recursive: true });
      const { summary, skipped } = await def.render({
        projects,
        outDir,
        pdf,
        draft: options.draft,
        converter: options.converter ?? pool,
        readiness: (doc) => new Map(projects.map((p) => [p.id, readiness(p, doc, records)])),
        scoresDir: options.scoresDir,
      });
      const tag = { kind: def.kind, kindName: def.name };
      for (const s of skipped) outcome.skipped.push({ ...tag, ...s });
      for (const f of summary.failures) outcome.failures.push({ ...tag, id: f.id, message: f.message });
      let run: StampRun | undefined;
      const inputs = summary.written.flatMap((w) => (w.pdf ? [{ id: w.id, pdf: w.pdf }] : []));
      const seal = options.seal && def.seal !== 'none' ? options.seal : undefined;
      if (inputs.length > 0 && (seal || options.draft)) {
        try {
          run = await stampDocuments(
            inputs,
            { seal: seal?.image, sealFor: seal?.for, draft: options.draft },
            def.seal,
            SILENT,
          );
        } catch (err) {
          outcome.failures.push({ ...tag, id: '盖章', message: (err as Error).message });
        }
        for (const f of run?.failures ?? []) outcome.failures.push({ ...tag, id: f.id, message: f.message });
      }
      for (const w of summary.written) {
        const stamped = run?.stamped.find((s) => s.id === w.id)?.out;
        outcome.files.push({
          ...tag,
          id: w.id,
          path: stamped ?? w.pdf ?? w.docx,
          docx: w.docx,
          ...(w.pdf ? { pdf: w.pdf } : {}),
          ...(stamped ? { stamped } : {}),
          missing: w.missing.map((m) => m.label),
          warnings: w.warnings,
        });
        if (stamped ?? w.pdf) stampedPdfs.push(stamped ?? w.pdf ?? '');
      }
    }
  } finally {
    await pool?.close();
  }
  if (options.printFile && stampedPdfs.length > 0) {
    const printFile = join(options.out, '打印文件.pdf');
    const run = await stampDocuments(
      stampedPdfs.map((p, i) => ({ id: String(i), pdf: p })),
      { printFile },
      'none',
      SILENT,
    );
    outcome.printFile = run?.print?.out;
  }
  return outcome;
}
