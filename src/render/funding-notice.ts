// 立项及经费通知: the notice that funds the projects, in the GB/T 9704 layout of templates/notice.docx,
// with the list of funded projects and amounts (from the store) as its attachment, rendered from
// templates/fundinglist.docx and bound after the body. The wording is config/funding-notice.yaml;
// which projects and how much is the store's funding decision (funding.granted), nothing else.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readYamlFile } from '../config-file.js';
import type { PdfConverter } from '../convert/index.js';
import { RunError } from '../errors.js';
import type { Project } from '../projects/types.js';
import { BLANK, DOCUMENT_AUTHOR, formatAmount, printData, templatePathOf } from './documents.js';
import { renderDocx } from './docx.js';
import { type NoticeData, NoticeDataSchema, type RenderNoticeResult, renderNotice } from './notice.js';
import { FUNDED_STATES, teamOrPerson } from './programme.js';

export const DEFAULT_FUNDING_NOTICE_CONFIG = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/funding-notice.yaml',
);

const text = z.string().trim().min(1, 'must not be empty');

export const FundingNoticeConfigSchema = z.strictObject({
  issuer: NoticeDataSchema.shape.issuer,
  number: text.nullable().optional(),
  numberPrefix: text,
  title: z.array(text).min(1),
  addressee: text,
  body: NoticeDataSchema.shape.body,
  attachment: text,
  copyTo: z.array(text).min(1).optional(),
  printedBy: text.optional(),
});
export type FundingNoticeConfig = z.infer<typeof FundingNoticeConfigSchema>;

export function loadFundingNoticeConfig(file = DEFAULT_FUNDING_NOTICE_CONFIG): FundingNoticeConfig {
  return readYamlFile(
    file,
    FundingNoticeConfigSchema,
    (f, problem, cause) =>
      new RunError(
        'badDataFile',
        `立项通知配置文件 ${f} 有误 / funding notice configuration ${f}: ${problem}`,
        'Fix the key named above; config/funding-notice.yaml in the repository shows every key.',
        cause === undefined ? undefined : { cause },
      ),
  );
}

/** The projects the notice funds: granted an amount and not sent back before funding. */
export const fundedProjects = (projects: readonly Project[]): Project[] =>
  projects
    .filter((p) => p.funding.granted != null && p.funding.granted > 0 && FUNDED_STATES.includes(p.state))
    .sort((a, b) => a.id.localeCompare(b.id));

export interface FundingNoticePlan {
  notice: NoticeData;
  /** The template data of the attachment (项目及经费安排表). */
  list: Record<string, unknown>;
  total: number;
}

/** The notice and its list from the funded projects. Pure. `date` ISO or null (written by hand). */
export function planFundingNotice(
  projects: readonly Project[],
  config: FundingNoticeConfig,
  year: number,
  date: string | null,
): FundingNoticePlan {
  const funded = fundedProjects(projects);
  // Sum in 元 so that 0.1 + 0.2 is 0.3.
  const total = funded.reduce((sum, p) => sum + Math.round((p.funding.granted ?? 0) * 10_000), 0) / 10_000;
  const fill = (s: string) =>
    s
      .replaceAll('{year}', String(year))
      .replaceAll('{count}', String(funded.length))
      .replaceAll('{total}', formatAmount(total));
  const body = config.body.map((entry) =>
    typeof entry === 'string'
      ? fill(entry)
      : (Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, fill(v)])) as typeof entry),
  );
  const attachment = fill(config.attachment);
  const notice: NoticeData = {
    issuer: config.issuer,
    number: config.number ?? `${config.numberPrefix}〔${year}〕${BLANK}号`,
    title: config.title.map(fill),
    addressee: config.addressee,
    body,
    attachments: [attachment],
    signer: config.issuer.name,
    ...(date ? { date, printedDate: date } : {}),
    ...(config.copyTo ? { copyTo: config.copyTo } : {}),
    ...(config.printedBy ? { printedBy: config.printedBy } : {}),
    assumed: [],
  };
  const list = printData({
    title: titleLines(attachment),
    unit: '金额单位：万元',
    rows: funded.map((p, i) => ({
      no: String(i + 1),
      id: p.id,
      title: p.title,
      enterprise: p.enterprise.name,
      professional: teamOrPerson(p),
      unit: p.dispatchingUnit.name,
      amount: formatAmount(p.funding.granted ?? 0),
    })),
    total: `合计：${funded.length}个项目，市科技局支持经费${formatAmount(total)}万元。`,
  });
  return { notice, list, total };
}

/**
 * A title of 2号 characters broken into lines of at most 20 (the 版心's width), at the last 「创新」
 * or 「项目」 that fits, so that words stay whole; digits count half.
 */
export function titleLines(title: string): string {
  const width = (s: string) => [...s].reduce((w, c) => w + ((c.codePointAt(0) ?? 0) < 0x2e80 ? 0.5 : 1), 0);
  if (width(title) <= 20) return title;
  for (const word of ['项目', '协同创新', '创新']) {
    for (let at = title.lastIndexOf(word); at > 0; at = title.lastIndexOf(word, at - 1)) {
      if (width(title.slice(0, at)) <= 20 && width(title.slice(at)) <= 20)
        return `${title.slice(0, at)}\n${title.slice(at)}`;
    }
  }
  return title;
}

export interface RenderFundingNoticeOptions {
  outDir: string;
  pdf: boolean;
  converter?: PdfConverter;
  year: number;
  /** 成文日期, ISO; without it the date is written by hand. */
  date?: string | null;
  config?: FundingNoticeConfig;
}

export const FUNDING_NOTICE_NAME = '立项及经费通知';

/** Writes `<outDir>/立项及经费通知.docx` (+ .pdf): the notice with its list bound after the body. */
export async function renderFundingNotice(
  projects: readonly Project[],
  options: RenderFundingNoticeOptions,
): Promise<RenderNoticeResult & { funded: Project[]; total: number }> {
  const funded = fundedProjects(projects);
  if (funded.length === 0) {
    throw new RunError(
      'badDataFile',
      '没有已立项资助的项目，无法生成立项及经费通知 / no project has been granted funding.',
      'Record the funding decision first: scores import writes the proposal back, then set funding.granted (xietong project export --xlsx / import).',
    );
  }
  const config = options.config ?? loadFundingNoticeConfig();
  const plan = planFundingNotice(projects, config, options.year, options.date ?? null);
  const listTemplate = templatePathOf('fundinglist');
  let template: Buffer;
  try {
    template = await readFile(listTemplate);
  } catch (err) {
    throw new RunError(
      'templateInvalid',
      `Template ${listTemplate} cannot be read. 无法读取项目及经费安排表模板。`,
      'Restore templates/ from the repository, or recreate it with `npx tsx scripts/make-programme-templates.ts fundinglist`.',
      { cause: err },
    );
  }
  const list = renderDocx(template, plan.list, basename(listTemplate), {
    title: String(plan.list.title),
    author: DOCUMENT_AUTHOR,
  });
  const result = await renderNotice(plan.notice, {
    outDir: options.outDir,
    name: FUNDING_NOTICE_NAME,
    pdf: options.pdf,
    converter: options.converter,
    otherAttachments: new Map([[plan.notice.attachments[0] as string, list.buffer]]),
    handDates: true,
  });
  return { ...result, funded, total: plan.total };
}
