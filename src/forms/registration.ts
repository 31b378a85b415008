import { type FieldDef, type FormDef, headerFields, opinionFields, valuesSchemaOf } from './fields.js';

// 附件1 景德镇市选派全市优秀专业技术人才进企业报名表 — two pages; page 2 starts at 拟在企业开展的工作.
const fields: FieldDef[] = [
  ...headerFields(),
  { key: 'name', label: '姓名', header: '姓名', kind: 'text', page: 1, required: true },
  { key: 'gender', label: '性别', header: '性别', kind: 'gender', page: 1, required: true },
  { key: 'birthMonth', label: '出生年月', header: '出生年月', kind: 'yearMonth', page: 1, required: true },
  { key: 'photo', label: '照片', header: '照片', kind: 'photo', page: 1, printed: false },
  {
    key: 'workStart',
    label: '参加工作时间',
    header: '参加工作时间',
    kind: 'yearMonth',
    page: 1,
    required: true,
  },
  {
    key: 'education',
    label: '学历',
    header: '学历',
    kind: 'text',
    page: 1,
    required: true,
    vocabulary: 'education',
  },
  {
    key: 'professionalTitle',
    label: '专业技术职称',
    header: '专业技术职称',
    kind: 'text',
    page: 1,
    vocabulary: 'titleLevel',
  },
  { key: 'teamName', label: '所属团队名称', header: '所属团队名称', kind: 'text', page: 1 },
  { key: 'teamSize', label: '团队入企人数', header: '团队入企人数', kind: 'integer', page: 1 },
  { key: 'phone', label: '联系电话', header: '联系电话', kind: 'phone', page: 1, required: true },
  {
    key: 'employerAndPosition',
    label: '现工作单位及职务',
    header: '现工作单位及职务',
    kind: 'text',
    page: 1,
    required: true,
  },
  {
    key: 'expertise',
    label: '所擅长的专业技术领域（尽量详细）',
    header: '擅长专业技术领域',
    kind: 'longText',
    page: 1,
    required: true,
  },
  { key: 'profile', label: '个人或团队简介和主要业绩', header: '简介和主要业绩', kind: 'longText', page: 1 },
  {
    key: 'plannedWork',
    label: '拟在企业开展的工作',
    header: '拟在企业开展的工作',
    kind: 'longText',
    page: 2,
  },
  ...opinionFields('recommendation', '推荐单位意见', 2),
  ...opinionFields('approval', '审核意见', 2),
];

export const registrationForm: FormDef = {
  kind: 'registration',
  attachment: 1,
  title: '景德镇市选派全市优秀专业技术人才进企业报名表',
  shortName: '报名表',
  template: 'registration.docx',
  pages: 2,
  fields,
};

export const registrationValuesSchema = valuesSchemaOf(fields);
