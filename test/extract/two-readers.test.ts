import { describe, expect, it } from 'vitest';
import { snap } from '../../src/domain/vocabulary.js';
import { extractRecord, vocabularySnapper } from '../../src/extract/index.js';

const teamSize = (raw: string, other: string) =>
  extractRecord({
    form: 'registration',
    fields: [{ key: 'teamSize', raw, confidence: 0.95, readers: { agree: false, other } }],
    sources: [],
    idSeed: 'two-readers',
  });

describe('two readers that read a field differently', () => {
  it('shows the reading that parses when the other does not, for a person to confirm', () => {
    const r = teamSize('人', '7人');
    expect(r.fields.teamSize).toMatchObject({ value: 7, confidence: 0.6, other: '人' });
    const issue = r.issues.find((i) => i.field === 'teamSize' && i.code === 'low_confidence');
    expect(issue?.message).toContain('「人」');
    // The unparsable reading is not reported as an error of the value shown.
    expect(r.issues.some((i) => i.field === 'teamSize' && i.severity === 'error')).toBe(false);
  });
  it('keeps the first reading when both parse and differ', () => {
    const r = teamSize('8人', '7人');
    expect(r.fields.teamSize).toMatchObject({ value: 8, confidence: 0.6, other: '7人' });
  });
  it('keeps a value nobody can parse unparsed', () => {
    const r = teamSize('人', '约');
    expect(r.fields.teamSize?.value).toBeNull();
    expect(r.fields.teamSize?.confidence).toBeLessThanOrEqual(0.3);
  });

  it('lets a paragraph keep a few characters the words decided, within its 1 % allowance', () => {
    const paragraph = '企业自身研发能力有限，急需借助省内高校的技术力量联合攻关。'.repeat(5); // 150 characters
    const read = (decided: number, undecided = 0) =>
      extractRecord({
        form: 'problem',
        fields: [
          {
            key: 'description',
            raw: paragraph,
            confidence: 0.93,
            readers: { agree: true, decided, undecided },
          },
        ],
        sources: [],
        idSeed: 'decided',
      }).fields.description?.confidence;
    expect(read(4)).toBe(0.93);
    // More than the allowance: a person looks.
    expect(read(12)).toBe(0.85);
    // A character nothing decided counts whole.
    expect(read(0, 1)).toBe(0.93);
    expect(read(0, 2)).toBe(0.85);
  });

  it('measures the allowance as a share: a decided character in a paragraph under 100 characters', () => {
    const short = '需解决注浆成型过程中的烧成开裂问题，降低生产成本。'.repeat(3); // 75 characters
    const read = (decided: number, undecided = 0) =>
      extractRecord({
        form: 'demand',
        fields: [
          {
            key: 'needs.problems',
            raw: short,
            confidence: 0.93,
            readers: { agree: true, decided, undecided },
          },
        ],
        sources: [],
        idSeed: 'share',
      }).fields['needs.problems']?.confidence;
    // A quarter against 0.75.
    expect(read(1)).toBe(0.93);
    expect(read(3)).toBe(0.93);
    expect(read(4)).toBe(0.85);
    // One character nothing decided is more than 1 % of 75.
    expect(read(0, 1)).toBe(0.85);
  });

  it('takes a paragraph of sentences whose last one has no stop for one whose stop was missed', () => {
    const read = (raw: string) =>
      extractRecord({
        form: 'demand',
        fields: [{ key: 'needs.problems', raw, confidence: 0.95, readers: { agree: true } }],
        sources: [],
        idSeed: 'stop',
      }).fields['needs.problems']?.confidence;
    const sentences = '需解决注浆成型过程中的烧成开裂问题，降低生产成本。'.repeat(2);
    expect(read(sentences)).toBe(0.95);
    expect(read(`${sentences}培养技术骨干`)).toBe(0.85);
    // Over 100 characters the one missing stop is within the allowance.
    expect(read(`${sentences.repeat(3)}培养技术骨干`)).toBe(0.95);
    // A list without stops is no paragraph of sentences.
    expect(read('注浆成型；烧成开裂')).toBe(0.95);
  });

  it('spends none of a paragraph’s allowance on repairs that are the only reading, and some on guesses', () => {
    // Three quoted project names whose closing quote was read as an opening one: “…“ closes.
    const quoted = '联合申报省级重大科技专项“窑炉余热回收关键技术“。'.repeat(3); // ~75 characters
    const read = (raw: string) =>
      extractRecord({
        form: 'demand',
        fields: [{ key: 'needs.majorCooperation', raw, confidence: 0.95, readers: { agree: true } }],
        sources: [],
        idSeed: 'sure-repairs',
      }).fields['needs.majorCooperation'];
    const sure = read(quoted);
    expect(sure?.value).toContain('关键技术”');
    expect(sure?.confidence).toBe(0.95);
    // 2一3 名: the range mark is a guess (it could be a dash); one guess is over a 75-character
    // paragraph's allowance of none.
    expect(read(`${quoted}培养2一3名。`)?.confidence).toBe(0.85);
  });

  it('lets an opinion keep a character the words decided, but not one nothing decided', () => {
    const read = (decided: number, undecided = 0) =>
      extractRecord({
        form: 'registration',
        fields: [
          {
            key: 'recommendation.opinion',
            raw: '该同志专业基础扎实，同意推荐。\n2020年5月3日',
            confidence: 0.93,
            parts: { opinion: 0.93, date: 0.995 },
            readers: { agree: true, decided, undecided },
          },
        ],
        sources: [],
        idSeed: 'opinion-decided',
      }).fields['recommendation.opinion']?.confidence;
    expect(read(1)).toBe(0.93);
    expect(read(0, 1)).toBe(0.85);
  });
});

describe('a short value read by OCR', () => {
  const one = (key: string, raw: string, confidence = 0.8) =>
    extractRecord({ form: 'demand', fields: [{ key, raw, confidence }], sources: [], idSeed: 'speck' })
      .fields[key];
  it('loses a speck after its last character read as a stop or a comma', () => {
    expect(one('legalRepresentative', '曾静若.')?.value).toBe('曾静若');
    expect(one('companyName', '江西新元机械股份有限公司，')?.value).toBe('江西新元机械股份有限公司');
  });
  it('loses a speck before its first character too', () => {
    expect(one('companyName', '.江西新元机械股份有限公司')?.value).toBe('江西新元机械股份有限公司');
    expect(one('legalRepresentative', '、曾静若')?.value).toBe('曾静若');
  });
  it('keeps a typed value as it was typed', () => {
    expect(one('legalRepresentative', '曾静若.', 1)?.value).toBe('曾静若.');
  });
});

describe('a required field read blank', () => {
  const blank = (typed: boolean) =>
    extractRecord({
      form: 'problem',
      fields: [{ key: 'contactPerson', raw: '', confidence: 1 }],
      sources: [],
      idSeed: 'blank',
      typed,
    }).fields.contactPerson;
  it('from a scan is never sure: forms come in filled, a blank read is more often a cell missed', () => {
    expect(blank(false)).toMatchObject({ value: null });
    expect(blank(false)?.confidence).toBeLessThan(0.9);
  });
  it('from a typed .docx is what was typed', () => {
    expect(blank(true)?.confidence).toBe(1);
  });
});

describe('a paragraph read by OCR', () => {
  it('loses the opinion cell’s printed （盖章） and date line read into its last rows, and is not sure', () => {
    const f = extractRecord({
      form: 'registration',
      fields: [{ key: 'plannedWork', raw: '帮助企业建立质量管理体系。\n(盖章)年月“日', confidence: 0.95 }],
      sources: [],
      idSeed: 'tail',
    }).fields.plannedWork;
    expect(f?.value).toBe('帮助企业建立质量管理体系。');
    expect(f?.confidence).toBeLessThan(0.9);
  });
  it('keeps a last row that says something', () => {
    const f = extractRecord({
      form: 'registration',
      fields: [
        { key: 'plannedWork', raw: '帮助企业建立质量管理体系。\n于2020年5月完成。', confidence: 0.95 },
      ],
      sources: [],
      idSeed: 'tail2',
    }).fields.plannedWork;
    expect(f?.value).toContain('于2020年5月完成');
  });
});

describe('a date read by OCR', () => {
  const date = (raw: string) =>
    extractRecord({
      form: 'demand',
      fields: [{ key: 'fillingDate', raw, confidence: 0.95 }],
      sources: [],
      idSeed: 'date-speck',
    }).fields.fillingDate;
  it('loses the quotes and brackets specks make in it', () => {
    expect(date('2020年5月9日【')?.value).toBe('2020-05-09');
    expect(date('2020年“5月9日')?.value).toBe('2020-05-09');
  });
  it('is blank where the printed 年 月 日 was left unfilled, specks or not', () => {
    expect(date('年 月“日')).toMatchObject({ value: null });
    expect(date('年 月“日')?.confidence).toBeGreaterThan(0.3);
  });
});

describe('a name the form asks for twice (the demand form’s 填报单位 and 单位名称)', () => {
  const demand = (unit: { raw: string; other: string }, company: { raw: string; confidence: number }) =>
    extractRecord({
      form: 'demand',
      fields: [
        { key: 'fillingUnit', raw: unit.raw, confidence: 0.95, readers: { agree: false, other: unit.other } },
        { key: 'companyName', raw: company.raw, confidence: company.confidence },
      ],
      sources: [],
      idSeed: 'twins',
    });

  it('takes the reading its twin was surely read as, and leaves it to no one', () => {
    const r = demand(
      { raw: '景德镇金岭车辆部件科技有限公司', other: '景德镇金岩车辆部件科技有限公司' },
      { raw: '景德镇金岭车辆部件科技有限公司', confidence: 0.995 },
    );
    expect(r.fields.fillingUnit).toMatchObject({ value: '景德镇金岭车辆部件科技有限公司', confidence: 0.95 });
    expect(r.fields.fillingUnit?.other).toBeUndefined();
    expect(r.issues.some((i) => i.field === 'fillingUnit')).toBe(false);
    // The second reader's reading, when that is the one the twin holds.
    const second = demand(
      { raw: '景德镇市汇通贼业股份有限公司', other: '景德镇市汇通瓷业股份有限公司' },
      { raw: '景德镇市汇通瓷业股份有限公司', confidence: 0.995 },
    );
    expect(second.fields.fillingUnit?.value).toBe('景德镇市汇通瓷业股份有限公司');
  });

  it('leaves the clerk a name neither reading of which is its twin’s, or whose twin is unsure', () => {
    const apart = demand(
      { raw: '景德镇金岭车辆部件科技有限公司', other: '景德镇金岩车辆部件科技有限公司' },
      { raw: '景德镇金峰车辆部件科技有限公司', confidence: 0.995 },
    );
    expect(apart.fields.fillingUnit).toMatchObject({
      value: '景德镇金岭车辆部件科技有限公司',
      confidence: 0.6,
    });
    expect(apart.issues.some((i) => i.field === 'fillingUnit' && i.code === 'low_confidence')).toBe(true);
    const unsureTwin = demand(
      { raw: '景德镇金岭车辆部件科技有限公司', other: '景德镇金岩车辆部件科技有限公司' },
      { raw: '景德镇金岭车辆部件科技有限公司', confidence: 0.8 },
    );
    expect(unsureTwin.fields.fillingUnit?.confidence).toBe(0.6);
  });
});

describe('an opinion cell whose readers left a character undecided', () => {
  const read = (undecided?: { opinion: number; date: number }) =>
    extractRecord({
      form: 'registration',
      fields: [
        {
          key: 'recommendation.opinion',
          raw: '经单位研究，同意推荐。.\n2020年6月10日',
          confidence: 0.93,
          readers: { agree: true, undecided: 1 },
          parts: { opinion: 0.93, date: 0.995, ...(undecided ? { undecided } : {}) },
        },
      ],
      sources: [],
      idSeed: 'parts',
    }).fields;
  it('leaves the part it is not in sure', () => {
    const apart = read({ opinion: 1, date: 0 });
    expect(apart['recommendation.opinion']?.confidence).toBe(0.85);
    expect(apart['recommendation.date']).toMatchObject({ value: '2020-06-10', confidence: 0.995 });
    // Counted for the whole cell when the parts' own counts are not known.
    expect(read()['recommendation.date']?.confidence).toBe(0.85);
  });
});

describe('an opinion cell whose sentence had a character decided by the words', () => {
  const read = (decided?: { opinion: number; date: number }) =>
    extractRecord({
      form: 'registration',
      fields: [
        {
          key: 'recommendation.opinion',
          raw: '所填内容属实，请予支持。\n2020-05-21',
          confidence: 0.93,
          readers: { agree: true, decided: 1 },
          parts: { opinion: 0.93, date: 0.995, ...(decided ? { decided } : {}) },
        },
      ],
      sources: [],
      idSeed: 'decided',
    }).fields;
  it('leaves the date below it sure', () => {
    expect(read({ opinion: 1, date: 0 })['recommendation.date']).toMatchObject({
      value: '2020-05-21',
      confidence: 0.995,
    });
    expect(read({ opinion: 0, date: 1 })['recommendation.date']?.confidence).toBe(0.85);
    // Counted for the whole cell when the parts' own counts are not known.
    expect(read()['recommendation.date']?.confidence).toBe(0.85);
  });
});

describe('two readings of one entry of a field’s list', () => {
  const title = (raw: string, other: string) =>
    extractRecord(
      {
        form: 'registration',
        fields: [{ key: 'professionalTitle', raw, confidence: 0.6, readers: { agree: false, other } }],
        sources: [],
        idSeed: 'vocabulary',
      },
      { snap: vocabularySnapper((v, t) => snap(v, t)) },
    );
  it('are the entry, surely, when the other is one character off it', () => {
    const r = title('副教授', '剪教授');
    expect(r.fields.professionalTitle).toMatchObject({ value: '副教授', confidence: 0.95 });
    expect(r.issues.some((i) => i.field === 'professionalTitle')).toBe(false);
  });
  it('stay with a person when the other drops characters or names another entry', () => {
    expect(title('工程师', '高级工程师').fields.professionalTitle?.confidence).toBe(0.6);
    expect(title('副教授', '教授').fields.professionalTitle?.confidence).toBe(0.6);
    expect(title('剪教授', '副教授').fields.professionalTitle?.confidence).toBeLessThan(0.9);
  });
});

describe('a corner bracket at a line’s edge that brackets nothing', () => {
  const planned = (raw: string) =>
    extractRecord({
      form: 'registration',
      fields: [{ key: 'plannedWork', raw, confidence: 0.93 }],
      sources: [],
      idSeed: 'corners',
    }).fields.plannedWork?.value;
  it('is a speck, not text', () => {
    expect(planned('(2)开展新产品设计与开发;\n「(3)帮助企业优化检测工艺。')).toBe(
      '(2)开展新产品设计与开发;\n(3)帮助企业优化检测工艺。',
    );
    expect(planned('(1)协助企业开展技术攻关」\n(2)开展新产品设计。')).toBe(
      '(1)协助企业开展技术攻关\n(2)开展新产品设计。',
    );
  });
  it('is kept where it pairs with another', () => {
    expect(planned('「精细化学品」\n(2)开展新产品设计。')).toBe('「精细化学品」\n(2)开展新产品设计。');
  });
});

describe('a stop or a comma before a paragraph’s first word', () => {
  it('is a speck: no sentence begins with one', () => {
    const planned = extractRecord({
      form: 'registration',
      fields: [{ key: 'plannedWork', raw: '.我市陶瓷产业发展较快。', confidence: 0.93 }],
      sources: [],
      idSeed: 'stop',
    }).fields.plannedWork;
    expect(planned).toMatchObject({ value: '我市陶瓷产业发展较快。', confidence: 0.93 });
  });
});
