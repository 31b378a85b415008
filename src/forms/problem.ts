import { type FieldDef, type FormDef, headerFields, valuesSchemaOf } from './fields.js';

// 附件3 产业发展重大技术难题征集表 — one page, no opinion cells.
const fields: FieldDef[] = [
  ...headerFields(),
  { key: 'title', label: '难题名称', header: '难题名称', kind: 'text', page: 1, required: true },
  { key: 'industry', label: '所属产业', header: '所属产业', kind: 'text', page: 1, vocabulary: 'industry' },
  { key: 'contactPerson', label: '联系人', header: '联系人', kind: 'text', page: 1, required: true },
  { key: 'contactPhone', label: '联系电话', header: '联系电话', kind: 'phone', page: 1, required: true },
  { key: 'address', label: '通讯地址', header: '通讯地址', kind: 'text', page: 1 },
  {
    key: 'description',
    label: '产业发展重大技术难题简要描述',
    header: '难题简要描述',
    kind: 'longText',
    page: 1,
    required: true,
    hint: '主要包括发展现状、技术难题、经济技术指标、需要解决的问题及难题攻关的预期效果。',
  },
];

export const problemForm: FormDef = {
  kind: 'problem',
  attachment: 3,
  title: '产业发展重大技术难题征集表',
  shortName: '难题征集表',
  template: 'problem.docx',
  pages: 1,
  fields,
};

export const problemValuesSchema = valuesSchemaOf(fields);
