import { type FieldDef, type FormDef, headerFields, opinionFields, valuesSchemaOf } from './fields.js';

// 附件2 景德镇市企业对专业技术人才需求情况表 — two pages; page 2 starts inside the 技术人才需求 block,
// at 拟组建或需完善的技术研发平台.
const need = (key: string, label: string, header: string, page: number): FieldDef => ({
  key: `needs.${key}`,
  label,
  header,
  kind: 'longText',
  page,
});

const fields: FieldDef[] = [
  ...headerFields(),
  { key: 'companyName', label: '单位名称', header: '单位名称', kind: 'text', page: 1, required: true },
  {
    key: 'district',
    label: '所属县（市、区）、园区',
    header: '所属县（市、区）、园区',
    kind: 'text',
    page: 1,
    vocabulary: 'district',
  },
  { key: 'legalRepresentative', label: '法人代表', header: '法人代表', kind: 'text', page: 1 },
  {
    key: 'legalRepresentativePhone',
    label: '联系电话',
    header: '法人代表电话',
    kind: 'phone',
    page: 1,
  },
  { key: 'contactPerson', label: '联系人', header: '联系人', kind: 'text', page: 1, required: true },
  { key: 'contactPhone', label: '联系电话', header: '联系人电话', kind: 'phone', page: 1, required: true },
  { key: 'mainProducts', label: '主要产品', header: '主要产品', kind: 'text', page: 1 },
  { key: 'annualOutput', label: '年产值', header: '年产值（万元）', kind: 'amount', page: 1 },
  {
    key: 'techStatus',
    label: '技术水平现状（含工艺、设备、人才团队、研发平台等情况）',
    header: '技术水平现状',
    kind: 'longText',
    page: 1,
  },
  need('problems', '需解决的难题及预期效果（含技术难题、产品设计、项目申报等）', '需解决的难题及预期效果', 1),
  need('teamTraining', '研发团队及专业技术人才培养', '研发团队及人才培养', 1),
  need('rdPlatform', '拟组建或需完善的技术研发平台（含名称及要求）', '拟组建或完善的研发平台', 2),
  need('techTransfer', '希望承接转化的技术成果，如新产品、新技术、新工艺等', '希望承接转化的技术成果', 2),
  need('majorCooperation', '重大科技合作项目需求', '重大科技合作项目需求', 2),
  need('urgentTalent', '急需专业人才类别及层次要求', '急需专业人才类别及层次', 2),
  ...opinionFields('recommendation', '推荐单位意见', 2),
  ...opinionFields('approval', '审核意见', 2),
];

export const demandForm: FormDef = {
  kind: 'demand',
  attachment: 2,
  title: '景德镇市企业对专业技术人才需求情况表',
  shortName: '企业需求表',
  template: 'demand.docx',
  pages: 2,
  fields,
  // The needs block's heading, printed downwards in a column of its own, and its note.
  printed: ['技术人才需求', '（可选其中一项或多，要尽可能详实、准确）'],
};

export const NEEDS_KEYS = fields.filter((f) => f.key.startsWith('needs.')).map((f) => f.key);

export const demandValuesSchema = valuesSchemaOf(fields);
