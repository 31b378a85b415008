// 项目条款录入表: the projects' terms as a workbook the clerk fills in (`project export --xlsx`), and
// reading it back (`project import`). The forms do not hold what an agreement needs (addresses of
// the parties, goals, period, mode, money, the team), so the clerk types it here; every column has
// Excel data validation (lists, numbers in range, dates), and the reader checks every cell again,
// because validation is only a hint to Excel and WPS. A project with a bad cell is not changed at
// all and the cell is named; the others are imported. Names read from approved records (the parties'
// names) are shown for orientation and never read back.
// Over 400 lines because writing and reading back are one layout: each column is defined once, for both.
import type ExcelJS from 'exceljs';
import { colName } from '../scores/import.js';
import { newWorkbook } from '../workbook.js';
import {
  ASSESSMENT_NAMES,
  ASSESSMENTS,
  type Assessment,
  CONCLUSION_NAMES,
  CONCLUSIONS,
  type Conclusion,
  FUNDING_MAX,
  FUNDING_MIN,
  isIsoDate,
  type Project,
  ProjectSchema,
} from './types.js';

export const PROJECT_SHEET = '项目条款';
export const GOAL_SHEET = '目标与考核指标';
export const MEMBER_SHEET = '团队成员';
export const RESULT_SHEET = '验收完成情况';
export const PANEL_SHEET = '验收专家';
const GUIDE_SHEET = '说明';

type Kind = 'text' | 'date' | 'money' | 'days' | 'mode' | 'conclusion';

interface Column {
  header: string;
  width: number;
  kind: Kind;
  /** Shown only (taken from the records): never read back. */
  readOnly?: boolean;
  get(p: Project): string | number | null;
  /** Writes a checked value into the project being built. */
  set?(p: Project, v: string | number | null): void;
}

const FULL = '全职';
const PART = '兼职';

/** The columns of 项目条款, in order. Project number first: it is how rows are matched. */
export function projectColumns(): Column[] {
  const t = (
    header: string,
    width: number,
    get: (p: Project) => string | null | undefined,
    set: (p: Project, v: string | null) => void,
  ): Column => ({
    header,
    width,
    kind: 'text',
    get: (p) => get(p) ?? null,
    set: (p, v) => set(p, v as string | null),
  });
  const acc = (p: Project) => {
    p.acceptance ??= { experts: [], results: [] };
    return p.acceptance;
  };
  return [
    { header: '项目编号', width: 13, kind: 'text', readOnly: true, get: (p) => p.id },
    { header: '甲方（企业）', width: 26, kind: 'text', readOnly: true, get: (p) => p.enterprise.name },
    {
      header: '乙方（人才或团队）',
      width: 18,
      kind: 'text',
      readOnly: true,
      get: (p) =>
        p.professional.teamName
          ? `${p.professional.teamName}（${p.professional.name}）`
          : p.professional.name,
    },
    t(
      '项目名称',
      30,
      (p) => p.title,
      (p, v) => {
        if (v) p.title = v;
      },
    ),
    t(
      '甲方地址',
      28,
      (p) => p.enterprise.address,
      (p, v) => {
        p.enterprise.address = v;
      },
    ),
    t(
      '甲方法定代表人',
      12,
      (p) => p.enterprise.legalRepresentative,
      (p, v) => {
        p.enterprise.legalRepresentative = v;
      },
    ),
    t(
      '甲方联系人',
      10,
      (p) => p.enterprise.contactPerson,
      (p, v) => {
        p.enterprise.contactPerson = v;
      },
    ),
    t(
      '甲方联系电话',
      15,
      (p) => p.enterprise.contactPhone,
      (p, v) => {
        p.enterprise.contactPhone = v;
      },
    ),
    t(
      '丙方（派出单位）',
      22,
      (p) => p.dispatchingUnit.name,
      (p, v) => {
        if (v) p.dispatchingUnit.name = v;
      },
    ),
    t(
      '丙方地址',
      28,
      (p) => p.dispatchingUnit.address,
      (p, v) => {
        p.dispatchingUnit.address = v;
      },
    ),
    t(
      '丙方法定代表人',
      12,
      (p) => p.dispatchingUnit.legalRepresentative,
      (p, v) => {
        p.dispatchingUnit.legalRepresentative = v;
      },
    ),
    t(
      '丙方联系人',
      10,
      (p) => p.dispatchingUnit.contactPerson,
      (p, v) => {
        p.dispatchingUnit.contactPerson = v;
      },
    ),
    t(
      '丙方联系电话',
      15,
      (p) => p.dispatchingUnit.contactPhone,
      (p, v) => {
        p.dispatchingUnit.contactPhone = v;
      },
    ),
    {
      header: '开始日期',
      width: 12,
      kind: 'date',
      get: (p) => p.term.start ?? null,
      set: (p, v) => {
        p.term.start = (v as string | null) ?? null;
      },
    },
    {
      header: '结束日期',
      width: 12,
      kind: 'date',
      get: (p) => p.term.end ?? null,
      set: (p, v) => {
        p.term.end = (v as string | null) ?? null;
      },
    },
    {
      header: '工作方式',
      width: 9,
      kind: 'mode',
      get: (p) => (p.fullTime ? FULL : PART),
      set: (p, v) => {
        p.fullTime = v === FULL;
      },
    },
    {
      header: '每年在企业工作天数',
      width: 10,
      kind: 'days',
      get: (p) => p.daysPerYear ?? null,
      set: (p, v) => {
        p.daysPerYear = (v as number | null) ?? null;
      },
    },
    t(
      '协同创新岗位',
      16,
      (p) => p.position,
      (p, v) => {
        p.position = v;
      },
    ),
    {
      header: '申请经费（万元）',
      width: 10,
      kind: 'money',
      get: (p) => p.funding.requested ?? null,
      set: (p, v) => {
        p.funding.requested = (v as number | null) ?? null;
      },
    },
    {
      header: '资助经费（万元）',
      width: 10,
      kind: 'money',
      get: (p) => p.funding.granted ?? null,
      set: (p, v) => {
        p.funding.granted = (v as number | null) ?? null;
      },
    },
    {
      header: '企业配套经费（万元）',
      width: 10,
      kind: 'money',
      get: (p) => p.funding.enterprise ?? null,
      set: (p, v) => {
        p.funding.enterprise = (v as number | null) ?? null;
      },
    },
    {
      header: '协议签订日期',
      width: 12,
      kind: 'date',
      get: (p) => p.agreement.signedDate ?? null,
      set: (p, v) => {
        p.agreement.signedDate = (v as string | null) ?? null;
      },
    },
    {
      header: '验收日期',
      width: 12,
      kind: 'date',
      get: (p) => p.acceptance?.date ?? null,
      set: (p, v) => {
        if (v !== null || p.acceptance) acc(p).date = (v as string | null) ?? null;
      },
    },
    {
      header: '验收结论',
      width: 10,
      kind: 'conclusion',
      get: (p) => (p.acceptance?.conclusion ? CONCLUSION_NAMES[p.acceptance.conclusion] : null),
      set: (p, v) => {
        if (v !== null || p.acceptance) acc(p).conclusion = (v as Conclusion | null) ?? null;
      },
    },
    ...(
      [
        ['验收证书编号', 'certificateNo'],
        ['验收方式', 'method'],
        ['验收专家组意见', 'opinion'],
        ['甲方意见', 'enterpriseOpinion'],
        ['派出单位意见', 'unitOpinion'],
        ['经费使用情况', 'fundingUse'],
      ] as const
    ).map(([header, key]) =>
      t(
        header,
        key === 'certificateNo' ? 14 : 40,
        (p) => p.acceptance?.[key],
        (p, v) => {
          if (v !== null || p.acceptance) acc(p)[key] = v;
        },
      ),
    ),
  ];
}

export interface ProjectWorkbookIssue {
  sheet: string;
  /** A1 reference of the cell. */
  cell: string;
  projectId?: string;
  message: string;
}

export interface ProjectWorkbookReading {
  /** The projects as the workbook says, for the ids it lists that are stored (unchanged ones too). */
  projects: Project[];
  issues: ProjectWorkbookIssue[];
  /** Project numbers of rows that name no stored project. */
  unknown: string[];
}

function validation(kind: Kind): ExcelJS.DataValidation | undefined {
  const common = { allowBlank: true, showErrorMessage: true, showInputMessage: true } as const;
  switch (kind) {
    case 'date':
      return {
        ...common,
        type: 'date',
        operator: 'between',
        formulae: [new Date(Date.UTC(2000, 0, 1)), new Date(Date.UTC(2099, 11, 31))],
        errorTitle: '日期',
        error: '请填写日期，如 2020-07-01',
        promptTitle: '日期',
        prompt: '如 2020-07-01',
      };
    case 'money':
      return {
        ...common,
        type: 'decimal',
        operator: 'between',
        formulae: [0, 1000],
        errorTitle: '金额',
        error: `请填写万元数，市科技局资助为 ${FUNDING_MIN}–${FUNDING_MAX} 万元`,
        promptTitle: '万元',
        prompt: `单位万元；市科技局资助 ${FUNDING_MIN}–${FUNDING_MAX} 万元`,
      };
    case 'days':
      return {
        ...common,
        type: 'whole',
        operator: 'between',
        formulae: [1, 366],
        errorTitle: '天数',
        error: '请填写 1–366 之间的整数',
      };
    case 'mode':
      return {
        ...common,
        type: 'list',
        formulae: [`"${FULL},${PART}"`],
        error: `请选「${FULL}」或「${PART}」`,
      };
    case 'conclusion':
      return {
        ...common,
        type: 'list',
        formulae: [`"${CONCLUSIONS.map((c) => CONCLUSION_NAMES[c]).join(',')}"`],
        error: '请从列表中选择',
      };
    default:
      return undefined;
  }
}

function header(ws: ExcelJS.Worksheet, columns: { header: string; width: number }[]): void {
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const row = ws.getRow(1);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  ws.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
}

/** The workbook for the clerk: one row per project, the lists on their own sheets. */
export async function projectsWorkbook(projects: readonly Project[]): Promise<Buffer> {
  const wb = await newWorkbook();
  wb.creator = 'xietong';
  wb.created = new Date(0);
  wb.modified = new Date(0);
  const columns = projectColumns();
  const ws = wb.addWorksheet(PROJECT_SHEET);
  header(ws, columns);
  for (const p of projects) {
    const row = ws.addRow(columns.map((c) => c.get(p)));
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.readOnly) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
      const v = validation(c.kind);
      if (v) cell.dataValidation = v;
      if (c.kind === 'date' && typeof cell.value === 'string')
        cell.value = new Date(`${cell.value}T00:00:00Z`);
      if (c.kind === 'date') cell.numFmt = 'yyyy-mm-dd';
      cell.alignment = { vertical: 'top', wrapText: c.width > 20 };
    });
  }
  // Room for the clerk: validation on empty rows too is not needed (a row without a known project
  // number is refused on import), so the data rows carry it.
  const goals = wb.addWorksheet(GOAL_SHEET);
  header(goals, [
    { header: '项目编号', width: 13 },
    { header: '目标与考核指标（一行一项，写明可检查的指标）', width: 90 },
  ]);
  for (const p of projects) for (const g of p.goals) goals.addRow([p.id, g]);
  const members = wb.addWorksheet(MEMBER_SHEET);
  header(members, [
    { header: '项目编号', width: 13 },
    { header: '姓名', width: 10 },
    { header: '职称', width: 16 },
    { header: '分工', width: 40 },
  ]);
  for (const p of projects)
    for (const m of p.professional.members ?? [])
      members.addRow([p.id, m.name, m.title ?? null, m.role ?? null]);
  const results = wb.addWorksheet(RESULT_SHEET);
  header(results, [
    { header: '项目编号', width: 13 },
    { header: '目标序号', width: 8 },
    { header: '完成情况', width: 70 },
    { header: '评价', width: 10 },
  ]);
  for (const p of projects)
    for (const r of p.acceptance?.results ?? [])
      results.addRow([
        p.id,
        r.goal ?? null,
        r.result ?? null,
        r.assessment ? ASSESSMENT_NAMES[r.assessment] : null,
      ]);
  results.getColumn(4).eachCell((cell, n) => {
    if (n > 1)
      cell.dataValidation = {
        type: 'list',
        allowBlank: true,
        showErrorMessage: true,
        formulae: [`"${ASSESSMENTS.map((a) => ASSESSMENT_NAMES[a]).join(',')}"`],
      };
  });
  const panel = wb.addWorksheet(PANEL_SHEET);
  header(panel, [
    { header: '项目编号', width: 13 },
    { header: '姓名', width: 10 },
    { header: '工作单位', width: 30 },
    { header: '职称/职务', width: 14 },
    { header: '组内分工', width: 10 },
  ]);
  for (const p of projects)
    for (const e of p.acceptance?.experts ?? [])
      panel.addRow([p.id, e.name, e.employer ?? null, e.title ?? null, e.role ?? null]);
  const guide = wb.addWorksheet(GUIDE_SHEET);
  guide.getColumn(1).width = 110;
  for (const line of [
    '项目条款录入表 — xietong project export --xlsx 生成，填好后运行 xietong project import <本文件> --by 姓名',
    '灰色列取自已核对的表格，只供对照，不会读回；要改请在 xietong review 中更正原记录。',
    '「项目编号」用来对应项目，请勿修改；可以排序、筛选、增加空行填写目标或团队成员。',
    `日期写 2020-07-01；金额以万元为单位，市科技局资助 ${FUNDING_MIN}–${FUNDING_MAX} 万元；工作方式选「${FULL}」或「${PART}」。`,
    '目标、团队成员、验收完成情况和验收专家各在自己的工作表，一行一项；某项目在该表没有行即为没有。',
    '读回时逐格检查；有错误的项目整体不导入并指出单元格，其他项目照常导入；每处改动都记下修改人和时间。',
  ])
    guide.addRow([line]).alignment = { wrapText: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- reading back --------------------------------------------------------------------------------

function cellValue(v: ExcelJS.CellValue): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'object' && 'richText' in v) return cellValue(v.richText.map((r) => r.text).join(''));
  if (typeof v === 'object' && 'result' in v) return cellValue(v.result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'text' in v) return cellValue((v as { text: string }).text);
  return String(v);
}

/** A date cell as YYYY-MM-DD: a real date, or text like 2020-07-01, 2020/7/1, 2020年7月1日. */
function dateOf(v: string | number | Date): string | null {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') {
    // An Excel serial day number typed into a text cell.
    return new Date(Date.UTC(1899, 11, 30) + v * 86_400_000).toISOString().slice(0, 10);
  }
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(v.normalize('NFKC'));
  if (!m) return null;
  const iso = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

function numberOf(v: string | number | Date): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return null;
  const s = v
    .normalize('NFKC')
    .replace(/万元?$/, '')
    .trim();
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

/** Checks one cell; returns the value to set, or a message. */
function check(
  kind: Kind,
  raw: string | number | Date | null,
): { value: string | number | null } | { error: string } {
  if (raw === null) return { value: null };
  switch (kind) {
    case 'date': {
      const d = dateOf(raw);
      return d ? { value: d } : { error: `「${String(raw)}」不是日期，请写成 2020-07-01` };
    }
    case 'money': {
      const n = numberOf(raw);
      return n !== null && n >= 0 && n <= 1000 ? { value: n } : { error: `「${String(raw)}」不是万元金额` };
    }
    case 'days': {
      const n = numberOf(raw);
      return n !== null && Number.isInteger(n) && n >= 1 && n <= 366
        ? { value: n }
        : { error: `「${String(raw)}」不是 1–366 之间的整数天数` };
    }
    case 'mode': {
      const s = String(raw).trim();
      return s === FULL || s === PART
        ? { value: s }
        : { error: `工作方式「${s}」须为「${FULL}」或「${PART}」` };
    }
    case 'conclusion': {
      const s = String(raw).trim();
      const c = CONCLUSIONS.find((x) => CONCLUSION_NAMES[x] === s || x === s);
      return c ? { value: c } : { error: `验收结论「${s}」须为 通过、需要复议 或 不通过` };
    }
    default:
      return raw instanceof Date ? { value: raw.toISOString().slice(0, 10) } : { value: String(raw).trim() };
  }
}

function headerMap(ws: ExcelJS.Worksheet): Map<string, number> {
  const map = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    map.set(String(cellValue(cell.value) ?? '').normalize('NFKC'), col);
  });
  return map;
}

const norm = (h: string) => h.normalize('NFKC');

/**
 * Reads a filled 项目条款录入表 against the stored projects. Pure apart from parsing the bytes:
 * returns each listed project as the workbook has it and the problems found; nothing is stored.
 */
export async function readProjectsWorkbook(
  input: Buffer,
  stored: readonly Project[],
): Promise<ProjectWorkbookReading> {
  const wb = await newWorkbook();
  await wb.xlsx.load(input as unknown as ArrayBuffer);
  const issues: ProjectWorkbookIssue[] = [];
  const unknown: string[] = [];
  const byId = new Map(stored.map((p) => [p.id, p]));
  const building = new Map<string, Project>();
  const bad = new Set<string>();
  const ws = wb.getWorksheet(PROJECT_SHEET);
  if (!ws) {
    return {
      projects: [],
      issues: [
        {
          sheet: PROJECT_SHEET,
          cell: 'A1',
          message: `没有「${PROJECT_SHEET}」工作表：请用 xietong project export --xlsx 生成的文件`,
        },
      ],
      unknown,
    };
  }
  const cols = headerMap(ws);
  const columns = projectColumns();
  const idCol = cols.get(norm('项目编号'));
  if (idCol === undefined) {
    return {
      projects: [],
      issues: [{ sheet: PROJECT_SHEET, cell: 'A1', message: '缺少「项目编号」列' }],
      unknown,
    };
  }
  ws.eachRow((row, r) => {
    if (r === 1) return;
    const id = cellValue(row.getCell(idCol).value);
    if (id === null) return;
    const sid = String(id);
    const base = byId.get(sid);
    if (!base) {
      unknown.push(sid);
      issues.push({
        sheet: PROJECT_SHEET,
        cell: `${colName(idCol)}${r}`,
        message: `没有编号为 ${sid} 的项目`,
      });
      return;
    }
    const p = structuredClone(base) as Project;
    for (const c of columns) {
      if (c.readOnly || !c.set) continue;
      const col = cols.get(norm(c.header));
      if (col === undefined) continue; // a column the clerk deleted leaves the value as it was
      const checked = check(c.kind, cellValue(row.getCell(col).value));
      if ('error' in checked) {
        issues.push({
          sheet: PROJECT_SHEET,
          cell: `${colName(col)}${r}`,
          projectId: sid,
          message: `${c.header}：${checked.error}`,
        });
        bad.add(sid);
        continue;
      }
      c.set(p, checked.value);
    }
    p.goals = [];
    if (p.professional.teamName) p.professional.members = [];
    if (p.acceptance) {
      p.acceptance.results = [];
      p.acceptance.experts = [];
    }
    building.set(sid, p);
  });

  const eachListRow = (
    sheetName: string,
    f: (p: Project, get: (h: string) => string | number | Date | null, at: (h: string) => string) => void,
  ) => {
    const sheet = wb.getWorksheet(sheetName);
    if (!sheet) return;
    const map = headerMap(sheet);
    sheet.eachRow((row, r) => {
      if (r === 1) return;
      const id = cellValue(row.getCell(map.get(norm('项目编号')) ?? 1).value);
      if (id === null) return;
      const p = building.get(String(id));
      if (!p) {
        if (!byId.has(String(id)))
          issues.push({ sheet: sheetName, cell: `A${r}`, message: `没有编号为 ${String(id)} 的项目` });
        return;
      }
      const colOf = (h: string) => [...map.entries()].find(([k]) => k.startsWith(norm(h)))?.[1];
      f(
        p,
        (h) => {
          const c = colOf(h);
          return c === undefined ? null : cellValue(row.getCell(c).value);
        },
        (h) => `${colName(colOf(h) ?? 1)}${r}`,
      );
    });
  };
  const text = (v: string | number | Date | null): string | null =>
    v === null ? null : String(v).trim() || null;
  eachListRow(GOAL_SHEET, (p, get) => {
    const g = text(get('目标'));
    if (g) p.goals.push(g);
  });
  eachListRow(MEMBER_SHEET, (p, get) => {
    const name = text(get('姓名'));
    if (!name) return;
    p.professional.members ??= [];
    p.professional.members.push({ name, title: text(get('职称')), role: text(get('分工')) });
  });
  eachListRow(RESULT_SHEET, (p, get, at) => {
    const goalRaw = get('目标序号');
    const goal = goalRaw === null ? undefined : numberOf(goalRaw as string | number);
    const assessmentText = text(get('评价'));
    const assessment = assessmentText
      ? ASSESSMENTS.find((a) => ASSESSMENT_NAMES[a] === assessmentText || a === assessmentText)
      : undefined;
    if (assessmentText && !assessment) {
      issues.push({
        sheet: RESULT_SHEET,
        cell: at('评价'),
        projectId: p.id,
        message: `评价「${assessmentText}」须为 完成、部分完成 或 未完成`,
      });
      bad.add(p.id);
      return;
    }
    if (goal === null || (goal !== undefined && (!Number.isInteger(goal) || goal < 1))) {
      issues.push({
        sheet: RESULT_SHEET,
        cell: at('目标序号'),
        projectId: p.id,
        message: '目标序号须为 1、2、3 …',
      });
      bad.add(p.id);
      return;
    }
    p.acceptance ??= { experts: [], results: [] };
    p.acceptance.results.push({
      ...(goal !== undefined ? { goal } : {}),
      result: text(get('完成情况')),
      assessment: (assessment as Assessment | undefined) ?? null,
    });
  });
  eachListRow(PANEL_SHEET, (p, get) => {
    const name = text(get('姓名'));
    if (!name) return;
    p.acceptance ??= { experts: [], results: [] };
    p.acceptance.experts.push({
      name,
      employer: text(get('工作单位')),
      title: text(get('职称')),
      role: text(get('组内分工')),
    });
  });

  const projects: Project[] = [];
  for (const [id, p] of building) {
    if (bad.has(id)) continue;
    const parsed = ProjectSchema.safeParse(p);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        issues.push({
          sheet: PROJECT_SHEET,
          cell: '',
          projectId: id,
          message: `${i.path.join('.')}：${i.message}`,
        });
      }
      continue;
    }
    projects.push(parsed.data);
  }
  return { projects, issues, unknown };
}
