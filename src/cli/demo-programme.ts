// The demo's programme after ingest, through the store as the bureau would run it: a clerk approves
// the records nothing is uncertain about, the bureau marks pairs in suggestions.xlsx, the clerk
// fills the project terms workbook, the experts fill the score workbook, the bureau adopts the
// funding proposal, the acceptance panel reports. Every document is then rendered from the store,
// so one project says one thing in its score sheets, proposal, agreement and certificate.
//
// The people's inputs come from the samples: samples/projects.json holds what the bureau decided
// and the clerk typed (found by enterprise and professional, since the store's record ids are its
// own), samples/scores/*.xlsx what the experts scored.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordStates } from '../app/projects.js';
import type { PdfConverter } from '../convert/index.js';
import { validateRecord } from '../domain/index.js';
import { match, writeMatchOutput } from '../match/index.js';
import { CONFIRM_HEADER, DEMAND_SHEET, YES } from '../match/workbook.js';
import { loadProjects, PROJECT_STATES, type Project, type ProjectState } from '../projects/types.js';
import { projectsWorkbook } from '../projects/workbook.js';
import { loadAgreementConfig, renderAgreements } from '../render/agreements.js';
import { renderCertificates } from '../render/certificates.js';
import type { RenderDocumentsSummary } from '../render/documents.js';
import { renderFundingNotice } from '../render/funding-notice.js';
import {
  EVALUATED_STATES,
  FUNDED_STATES,
  renderAcceptanceApplications,
  renderEnterpriseEvaluations,
  renderGroupOpinions,
  renderSignIn,
} from '../render/programme.js';
import { renderProposal } from '../render/proposal.js';
import { renderScoreSheets } from '../render/scoresheets.js';
import { loadScoringConfig } from '../scores/config.js';
import { loadExperts } from '../scores/experts.js';
import { importScores, readScoreWorkbook, type ScoreEntry } from '../scores/index.js';
import { finishXlsx, readMeta } from '../scores/workbook.js';
import { writeBackEvaluation } from '../scores/writeback.js';
import { currentRecord, openStore, type SqliteRecordStore, titleOf } from '../store/index.js';
import { newWorkbook } from '../workbook.js';
import { confirmCommand } from './match.js';
import { importCommand } from './project.js';
import { readinessOf } from './render-documents.js';

/** Who the demo's people are, as the store records them. */
export const DEMO_CLERK = '示例经办人（xietong demo）';
export const DEMO_BUREAU = '市科技局（xietong demo）';
const SILENT = { write: () => true };
const FIXED_DATE = new Date('2020-09-15T00:00:00Z');

export interface ProgrammeContext {
  out: string;
  samples: string;
  db: string;
  converter?: PdfConverter;
}

const withDb = async <T>(db: string, f: (s: SqliteRecordStore) => Promise<T>): Promise<T> => {
  const store = await openStore(db);
  try {
    return await f(store);
  } finally {
    await store.close();
  }
};

const stateIndex = (s: ProjectState) => PROJECT_STATES.indexOf(s);

/** The sample project (the bureau's decisions) for a stored one, by its two parties' names. */
async function decisions(ctx: ProgrammeContext): Promise<(p: Project) => Project | undefined> {
  const sample = await loadProjects(join(ctx.samples, 'projects.json'));
  return (p) =>
    sample.find(
      (s) => s.enterprise.name === p.enterprise.name && s.professional.name === p.professional.name,
    );
}

// ---- 核对 ----------------------------------------------------------------------------------------

/**
 * The clerk's review, as far as a program may stand in for it: a first copy with no value the
 * readers were unsure of and no rule problem (error or warning) is approved; the others wait for a
 * person (they are listed), and so stay out of matching.
 */
export async function approveSureRecords(
  ctx: ProgrammeContext,
): Promise<{ approved: number; pending: string[] }> {
  return withDb(ctx.db, async (store) => {
    let approved = 0;
    const pending: string[] = [];
    for (const stored of await store.listRecords({ withoutCopies: true })) {
      if (stored.status === 'verified') continue;
      const record = currentRecord(stored);
      const unsure = Object.values(stored.fields).some((f) => f.needsReview);
      const problems = [...record.issues, ...validateRecord(record)].filter((i) => i.severity !== 'info');
      if (unsure || problems.length > 0) {
        pending.push(`${titleOf(stored) || stored.id}（${problems[0]?.message ?? '有待核对的字段'}）`);
        continue;
      }
      await store.approveRecord(stored.id, { by: DEMO_CLERK, note: '演示：无存疑字段、无规则问题' });
      approved++;
    }
    return { approved, pending };
  });
}

// ---- 对接 ----------------------------------------------------------------------------------------

/** match --db, the bureau's 是 in suggestions.xlsx for the pairs it chose, match confirm --create. */
export async function matchAndConfirm(ctx: ProgrammeContext): Promise<{
  xlsx: string;
  json: string;
  marked: string;
  created: number;
  demands: number;
}> {
  const records = await withDb(ctx.db, async (s) =>
    (await s.listRecords()).filter((r) => r.status === 'verified').map(currentRecord),
  );
  const result = match(records);
  const written = await writeMatchOutput(result, join(ctx.out, 'match'));
  const sample = await loadProjects(join(ctx.samples, 'projects.json'));
  const wb = await newWorkbook();
  await wb.xlsx.readFile(written.xlsx);
  const sheet = wb.getWorksheet(DEMAND_SHEET);
  if (sheet) {
    const head = new Map<string, number>();
    sheet.getRow(1).eachCell((c, n) => {
      head.set(String(c.value), n);
    });
    const col = (h: string) => head.get(h) ?? 0;
    sheet.eachRow((row, r) => {
      if (r === 1) return;
      const enterprise = String(row.getCell(col('企业')).value ?? '');
      const who = String(row.getCell(col('人才（团队）')).value ?? '');
      const chosen = sample.some(
        (p) => p.enterprise.name === enterprise && who.startsWith(p.professional.name),
      );
      if (chosen) row.getCell(col(CONFIRM_HEADER)).value = YES;
    });
  }
  const marked = join(ctx.out, 'match', 'suggestions-已确认.xlsx');
  await wb.xlsx.writeFile(marked);
  const confirmed = await confirmCommand(
    marked,
    { create: true, db: ctx.db, by: DEMO_BUREAU, year: 2020 },
    SILENT,
  );
  return {
    ...written,
    marked,
    created: confirmed.projects?.created.length ?? 0,
    demands: result.demands.length,
  };
}

// ---- 项目条款 ------------------------------------------------------------------------------------

type Fill = (stored: Project, decided: Project) => Project;

/** Writes the terms workbook as exported, then as the clerk filled it, and imports it. */
async function fillTerms(ctx: ProgrammeContext, name: string, fill: Fill, only?: (p: Project) => boolean) {
  const decide = await decisions(ctx);
  const stored = await withDb(ctx.db, (s) => s.listProjects());
  const chosen = stored.filter((p) => decide(p) && (!only || only(p)));
  const dir = join(ctx.out, 'projects');
  await mkdir(dir, { recursive: true });
  const blank = join(dir, `${name}.xlsx`);
  await writeFile(blank, await projectsWorkbook(chosen));
  const filled = join(dir, `${name}-已填写.xlsx`);
  await writeFile(filled, await projectsWorkbook(chosen.map((p) => fill(p, decide(p) as Project))));
  const result = await importCommand(filled, { db: ctx.db, by: DEMO_CLERK }, SILENT);
  return { blank, filled, updated: result.updated.length };
}

/** The terms three parties agree on (everything but the money decided later and the acceptance). */
const agreedTerms: Fill = (p, d) => ({
  ...p,
  title: d.title,
  enterprise: { ...p.enterprise, address: d.enterprise.address ?? p.enterprise.address },
  professional: { ...p.professional, members: d.professional.members ?? [] },
  dispatchingUnit: { ...d.dispatchingUnit, name: p.dispatchingUnit.name },
  goals: d.goals,
  position: d.position ?? null,
  term: d.term,
  fullTime: d.fullTime,
  daysPerYear: d.daysPerYear ?? null,
  funding: { ...p.funding, requested: d.funding.requested ?? null, enterprise: d.funding.enterprise ?? null },
  agreement: { ...p.agreement, signedDate: d.agreement.signedDate ?? null },
});

/** Moves a project one step at a time up to `to` (never back), as the bureau records each step. */
async function advance(store: SqliteRecordStore, p: Project, to: ProjectState, note: string): Promise<void> {
  let at = (await store.getProject(p.id))?.state ?? p.state;
  const path: ProjectState[] = ['matched', 'agreed', 'evaluated', 'funded', 'underway'];
  while (stateIndex(at) < Math.min(stateIndex(to), stateIndex('underway'))) {
    const next = path[path.indexOf(at) + 1] as ProjectState;
    await store.setProjectState(p.id, next, { by: DEMO_BUREAU, note });
    at = next;
  }
  if ((to === 'accepted' || to === 'notAccepted') && at === 'underway') {
    await store.setProjectState(p.id, to, { by: DEMO_BUREAU, note });
  }
}

export async function termsAndSigning(ctx: ProgrammeContext) {
  const terms = await fillTerms(ctx, '项目条款录入表', agreedTerms);
  const decide = await decisions(ctx);
  await withDb(ctx.db, async (store) => {
    for (const p of await store.listProjects()) {
      const d = decide(p);
      if (d && stateIndex(d.state) >= stateIndex('agreed'))
        await advance(store, p, 'agreed', '三方协议已签订');
    }
  });
  return terms;
}

// ---- 评审 ----------------------------------------------------------------------------------------

/**
 * Score sheets for the signed projects, the experts' scores (the sample workbooks' scores, put on
 * the sheets made for the store's projects), scores import written back, the proposal adopted.
 */
export async function evaluate(ctx: ProgrammeContext) {
  const config = await loadScoringConfig();
  const experts = await loadExperts(join(ctx.samples, 'scores', 'experts.yaml'));
  const decide = await decisions(ctx);
  const signed = (await withDb(ctx.db, (s) => s.listProjects())).filter((p) => p.state !== 'matched');
  const outDir = join(ctx.out, 'scoresheets');
  const sheets = await renderScoreSheets(signed, {
    outDir,
    pdf: true,
    converter: ctx.converter,
    config,
    experts,
    date: FIXED_DATE,
  });
  if (!sheets.workbook) throw new Error('no score workbook was written');

  // What the experts wrote, by expert and sample project; the sheets name the store's projects.
  const sampleFiles = ['scores-a.xlsx', 'scores-b.xlsx'].map((f) => join(ctx.samples, 'scores', f));
  const entries: ScoreEntry[] = [];
  for (const f of sampleFiles) {
    entries.push(...(await readScoreWorkbook(await readFile(f), f, config)).entries);
  }
  const wb = await newWorkbook();
  await wb.xlsx.load((await readFile(sheets.workbook)) as unknown as ArrayBuffer);
  const read = readMeta(wb);
  if (!read.ok) throw new Error(`the score workbook's meta sheet: ${read.problem}`);
  const meta = read.meta;
  for (const sm of meta.sheets) {
    const ws = wb.getWorksheet(sm.sheet);
    if (!ws) continue;
    ws.getCell('I2').value = FIXED_DATE;
    sm.projects.forEach((id, i) => {
      const p = signed.find((x) => x.id === id);
      const sampleId = p ? decide(p)?.id : undefined;
      const entry = entries.find((e) => e.expertKey === sm.expert.key && e.projectId === sampleId);
      if (!entry) return;
      const row = ws.getRow(meta.firstRow + i);
      meta.criteria.forEach((c, j) => {
        row.getCell(meta.firstScoreColumn + j).value = entry.scores[c.key] ?? null;
      });
      if (entry.opinion) row.getCell(meta.firstScoreColumn + meta.criteria.length + 1).value = entry.opinion;
    });
  }
  const filled = join(outDir, '评分录入表-专家已填写.xlsx');
  await writeFile(filled, finishXlsx(Buffer.from(await wb.xlsx.writeBuffer()), FIXED_DATE));

  const projects = await withDb(ctx.db, (s) => s.listProjects());
  const summaryPath = join(outDir, '评分汇总与经费建议.xlsx');
  const imported = await importScores([filled], { config, projects, out: summaryPath, date: FIXED_DATE });
  const document = await renderProposal(imported.aggregation, projects, {
    outDir,
    pdf: true,
    converter: ctx.converter,
    date: imported.entries.find((e) => e.date)?.date ?? null,
  });
  await withDb(ctx.db, async (store) => {
    await writeBackEvaluation(imported.aggregation, store, { by: DEMO_CLERK, note: '评分导入' });
    // The bureau adopts the proposal for the projects it funds: granted = proposed.
    for (const p of await store.listProjects()) {
      const d = decide(p);
      if (!d || stateIndex(d.state) < stateIndex('evaluated')) continue;
      await advance(store, p, 'evaluated', '专家评审完成');
      const now = (await store.getProject(p.id)) as Project;
      if (stateIndex(d.state) < stateIndex('funded') || now.evaluation.proposed == null) continue;
      await store.putProject(
        { ...now, funding: { ...now.funding, granted: now.evaluation.proposed ?? null } },
        { by: DEMO_BUREAU, note: '立项：按评分汇总的经费建议资助' },
      );
      await advance(store, p, d.state === 'funded' ? 'funded' : 'underway', '立项资助');
    }
  });
  return { sheets, filled, summaryPath, imported, document: document.written[0] };
}

// ---- 验收 ----------------------------------------------------------------------------------------

/** The acceptance panel's report typed into the terms workbook, and the state it leads to. */
export async function accept(ctx: ProgrammeContext) {
  const decide = await decisions(ctx);
  const terms = await fillTerms(
    ctx,
    '验收信息录入表',
    (p, d) => ({ ...p, ...(d.acceptance ? { acceptance: d.acceptance } : {}) }),
    (p) => Boolean(decide(p)?.acceptance) && p.state === 'underway',
  );
  await withDb(ctx.db, async (store) => {
    for (const p of await store.listProjects()) {
      const c = p.acceptance?.conclusion;
      if (p.state !== 'underway' || !c || c === 'reconsider') continue;
      await advance(store, p, c === 'passed' ? 'accepted' : 'notAccepted', '验收结论');
    }
  });
  return terms;
}

// ---- 文书 ----------------------------------------------------------------------------------------

/**
 * After signing, 甲方 of one project writes that its legal representative has changed: the clerk
 * reopens the record. Its agreement is then refused as final and written as a marked draft.
 */
export async function reopenForChange(
  ctx: ProgrammeContext,
  enterprise: string,
): Promise<string | undefined> {
  return withDb(ctx.db, async (store) => {
    const p = (await store.listProjects()).find((x) => x.enterprise.name === enterprise);
    const id = p?.sources.demand;
    if (!id) return undefined;
    await store.reopenRecord(id, { by: DEMO_CLERK, note: '甲方来函：法定代表人已变更，待核实' });
    return p.id;
  });
}

export async function legalDocuments(ctx: ProgrammeContext): Promise<{
  agreements: RenderDocumentsSummary;
  drafts: RenderDocumentsSummary;
  certificates: RenderDocumentsSummary;
  skippedCertificates: { id: string; reason: string }[];
}> {
  const { projects, records } = await withDb(ctx.db, async (s) => ({
    projects: await s.listProjects(),
    records: await recordStates(s),
  }));
  const config = await loadAgreementConfig();
  const check = (doc: 'agreement' | 'certificate') => readinessOf(projects, doc, records);
  const agreementReadiness = check('agreement');
  const ready = projects.filter((p) => agreementReadiness.get(p.id)?.problems.length === 0);
  const notReady = projects.filter((p) => !ready.includes(p));
  const agreements = await renderAgreements(ready, {
    outDir: join(ctx.out, 'agreements'),
    pdf: true,
    converter: ctx.converter,
    config,
    readiness: agreementReadiness,
  });
  const drafts = await renderAgreements(notReady, {
    outDir: join(ctx.out, 'agreements', '草稿'),
    pdf: true,
    converter: ctx.converter,
    config,
    readiness: agreementReadiness,
    draft: true,
  });
  const certs = await renderCertificates(projects, {
    outDir: join(ctx.out, 'certificates'),
    pdf: true,
    converter: ctx.converter,
    readiness: check('certificate'),
  });
  return {
    agreements,
    drafts,
    certificates: certs.summary,
    skippedCertificates: certs.skipped.map((s) => ({ id: s.id, reason: s.reason })),
  };
}

/**
 * The rest of the programme's paper from the store: the review session's sign-in sheet and the
 * panel's opinion per project, the 立项及经费 notice for the projects funded, and the forms of the
 * acceptance (验收申请表, 甲方评价意见表) for each of them.
 */
export async function programmePaper(ctx: ProgrammeContext) {
  const projects = await withDb(ctx.db, (s) => s.listProjects());
  const experts = await loadExperts(join(ctx.samples, 'scores', 'experts.yaml'));
  const reviewed = projects.filter((p) => EVALUATED_STATES.includes(p.state));
  const funded = projects.filter((p) => FUNDED_STATES.includes(p.state));
  const common = { pdf: true, converter: ctx.converter };
  const reviewDir = join(ctx.out, 'review');
  // The session the experts scored at (the score workbooks' date).
  const date = FIXED_DATE.toISOString().slice(0, 10);
  const signIn = await renderSignIn(reviewed, experts, date, { outDir: reviewDir, ...common });
  const opinions = await renderGroupOpinions(reviewed, experts, { outDir: reviewDir, date, ...common });
  const notice = await renderFundingNotice(projects, {
    outDir: join(ctx.out, 'funding-notice'),
    year: 2020,
    pdf: true,
    converter: ctx.converter,
  });
  const acceptanceDir = join(ctx.out, 'acceptance');
  const applications = await renderAcceptanceApplications(funded, { outDir: acceptanceDir, ...common });
  const evaluations = await renderEnterpriseEvaluations(funded, { outDir: acceptanceDir, ...common });
  return { signIn, opinions, notice, applications, evaluations, reviewDir, acceptanceDir };
}
