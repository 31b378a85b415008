// Writes docs/record-format.md: the record format and every field of the three forms, from the
// field definitions in src/forms/ (so the page cannot drift from the code; test/docs.test.ts checks
// it is current). Run: npx tsx scripts/make-record-format.ts
import { writeFileSync } from 'node:fs';
import { FORMS } from '../src/forms/index.js';

const KINDS: Record<string, string> = {
  text: '一行文字 / one line of text',
  longText: '多段文字（参与对接）/ paragraphs (used by matching)',
  yearMonth: '年月 YYYY-MM',
  date: '日期 YYYY-MM-DD',
  phone: '电话：11 位手机或 0798-8576556',
  integer: '整数 / whole number',
  amount: '金额，万元 / amount in 万元',
  gender: '男 / 女',
  opinion: '意见栏文字 / text of an opinion cell',
  stamp: '是否盖章 true/false / whether a seal is present',
  photo: '照片区域（值为截图路径）/ photo region (value: the crop path)',
};

const lines: string[] = [
  '# 记录格式 / The record format',
  '',
  '<!-- Written by scripts/make-record-format.ts from src/forms/: edit those, then run the script. -->',
  '',
  '每份表格（可能跨多页、多个文件）读出后是一条记录：JSON 对象，字段名与下表一致。导入（`xietong ingest`）写出的',
  'records.json、`xietong export` 的 JSON、`--records` 读入的文件和数据库中的记录都用这一格式。',
  '',
  "*One JSON object per submission (a form handed in, possibly over several pages or files). ingest's",
  'records.json, the JSON export, the files `--records` reads and the database all use this shape.*',
  '',
  '```json',
  '{',
  '  "id": "reg-64b02cd4b3d5",',
  '  "form": "registration",',
  '  "sources": [{ "file": "scans/batch-03.pdf", "page": 4, "sha256": "…" }],',
  '  "fields": {',
  '    "name": { "value": "王建国", "raw": "王 建 国", "confidence": 0.97 },',
  '    "birthMonth": { "value": "1985-03", "raw": "1985年3月", "confidence": 0.91 }',
  '  },',
  '  "issues": [{ "code": "low_confidence", "severity": "warning", "field": "birthMonth", "message": "…" }]',
  '}',
  '```',
  '',
  '- `value`：规范化后的值（下表“类型”）；纸面空白为 `null`。*The value in its normal form; blank on paper is `null`.*',
  '- `raw`：识别出的原文。*The text as read.*',
  '- `confidence`：0–1，低于 0.9 的值需要人工核对（src/domain/review-rule.ts）；人工更正后为 1。',
  '  *Below 0.9 a person must look (src/domain/review-rule.ts); 1 once a person corrected it.*',
  '- 一式二份的第二份带 `copyOf`（另一份的编号），不重复计数。*A second copy carries `copyOf` and is not counted twice.*',
  '- 嵌套字段用点号：`needs.problems`、`recommendation.date`。*Nested fields are dotted.*',
  '',
];
for (const form of Object.values(FORMS)) {
  lines.push(`## ${form.shortName}（附件${form.attachment}）— \`${form.kind}\``, '');
  lines.push(`${form.title}，${form.pages} 页。`, '');
  lines.push('| 字段 key | 表上名称 label | 类型 kind | 页 | 必填 |', '|---|---|---|---|---|');
  for (const f of form.fields) {
    const kind = KINDS[f.kind] ?? f.kind;
    const vocab = f.vocabulary ? `；词表 ${f.vocabulary}（config/vocabularies.yaml）` : '';
    lines.push(`| \`${f.key}\` | ${f.label} | ${kind}${vocab} | ${f.page} | ${f.required ? '是' : ''} |`);
  }
  lines.push('');
}
writeFileSync('docs/record-format.md', `${lines.join('\n')}`);
