import { describe, expect, it } from 'vitest';
import {
  classifyTexts,
  editDistance,
  type GridCell,
  labelScore,
  locateFields,
  otherLabelAt,
  stripLabel,
} from '../../src/locate/labels.js';

const cell = (row: number, col: number, text: string, colSpan = 1, rowSpan = 1): GridCell => ({
  row,
  col,
  rowSpan,
  colSpan,
  text,
});

// Registration page 1 as OCR might read it from a copy with other widths: wrapped labels split
// differently, look-alike characters (目 for 月, 朮 for 术), stray spaces.
const registrationPage1: GridCell[] = [
  cell(0, 0, '姊名'),
  cell(0, 1, '王建国'),
  cell(0, 2, '性别'),
  cell(0, 3, '男'),
  cell(0, 4, '出生年目'),
  cell(0, 5, '1985.03'),
  cell(0, 6, '照\n片', 1, 3),
  cell(1, 0, '参加\n工作时间'),
  cell(1, 1, '2008年7月'),
  cell(1, 2, '学历'),
  cell(1, 3, '硕士研究生'),
  cell(1, 4, '专业技\n朮职称'),
  cell(1, 5, '副教授'),
  cell(2, 0, '所属团队\n名称'),
  cell(2, 1, ''),
  cell(2, 2, '团队入\n企人数'),
  cell(2, 3, ''),
  cell(2, 4, '联系电话'),
  cell(2, 5, '138 0798 1234'),
  cell(3, 0, '现工作单位及职务'),
  cell(3, 1, '景德镇陶瓷大学 副教授', 6),
  cell(4, 0, '所擅长的专业\n技术领域（尽\n量详细）'),
  cell(4, 1, '陶瓷窑炉烧成', 6),
  cell(5, 0, '个人或团队简\n介和主要业绩'),
  cell(5, 1, '主持省级项目两项。', 6),
];

describe('label matching', () => {
  it('edit distance', () => {
    expect(editDistance('出生年月', '出生年目')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('scores wrapped and misread labels high, other labels low', () => {
    expect(labelScore('参加\n工作时间', '参加工作时间').score).toBe(1);
    expect(labelScore('出生年目', '出生年月').score).toBeGreaterThanOrEqual(0.75);
    expect(labelScore('学历', '联系电话').score).toBeLessThan(0.3);
  });

  it('maps every field of page 1 to its value cell', () => {
    const { found, missing } = locateFields('registration', registrationPage1);
    const value = (key: string) => found.find((f) => f.key === key)?.valueText;
    expect(value('name')).toBe('王建国');
    expect(value('birthMonth')).toBe('1985.03');
    expect(value('workStart')).toBe('2008年7月');
    expect(value('professionalTitle')).toBe('副教授');
    expect(value('teamSize')).toBe('');
    expect(value('phone')).toBe('138 0798 1234');
    expect(value('employerAndPosition')).toBe('景德镇陶瓷大学 副教授');
    expect(value('expertise')).toBe('陶瓷窑炉烧成');
    expect(found.find((f) => f.key === 'photo')?.mode).toBe('inline');
    // Page 2's fields are not on this page.
    expect(missing).toEqual(
      expect.arrayContaining(['plannedWork', 'recommendation.opinion', 'approval.date']),
    );
    expect(missing).not.toContain('name');
  });

  it('assigns a label printed twice in order (法人代表 电话, then 联系人 电话)', () => {
    const cells = [
      cell(0, 0, '单位名称'),
      cell(0, 1, '景德镇某某陶瓷有限公司'),
      cell(0, 2, '所属县（市、区）、园区'),
      cell(0, 3, '珠山区'),
      cell(1, 0, '法人代表'),
      cell(1, 1, '李明'),
      cell(1, 2, '联系电话'),
      cell(1, 3, '13900000001'),
      cell(2, 0, '联系人'),
      cell(2, 1, '赵红'),
      cell(2, 2, '联系电话'),
      cell(2, 3, '0798-8576556'),
    ];
    const { found } = locateFields('demand', cells);
    expect(found.find((f) => f.key === 'legalRepresentativePhone')?.valueText).toBe('13900000001');
    expect(found.find((f) => f.key === 'contactPhone')?.valueText).toBe('0798-8576556');
    // …even when the first copy of the label was read worse than the second.
    const misread = cells.map((c) => (c.text === '联系电话' && c.row === 1 ? { ...c, text: '联系电活' } : c));
    const again = locateFields('demand', misread).found;
    expect(again.find((f) => f.key === 'legalRepresentativePhone')?.valueText).toBe('13900000001');
    expect(again.find((f) => f.key === 'contactPhone')?.valueText).toBe('0798-8576556');
  });

  it('reads a value written inside the label cell after its printed instructions', () => {
    const cells = [
      cell(
        0,
        0,
        '产业发展重大技术难题简要描述：主要包括发展现状、技术难题、经济技术指标、\n需要解决的问题及难题攻关的预期效果。\n我市日用瓷企业烧成能耗高。',
        4,
      ),
    ];
    const { found } = locateFields('problem', cells);
    const d = found.find((f) => f.key === 'description');
    expect(d?.mode).toBe('inline');
    expect(d?.valueText).toBe('我市日用瓷企业烧成能耗高。');
  });

  it('takes a bracket misread as another bracket shape for the label, not for a value', () => {
    // （尽量详细） read as (尽量详细】: the label's own bracket, nothing written in the label cell.
    const cells = [cell(0, 0, '所擅长的专\n业技术领域\n(尽量详\n细】'), cell(0, 1, '陶瓷窑炉烧成', 6)];
    const e = locateFields('registration', cells).found.find((f) => f.key === 'expertise');
    expect(e?.mode).toBe('right');
    expect(e?.valueText).toBe('陶瓷窑炉烧成');
  });

  it('takes a whole label read with a few characters wrong for the label, not for its short form and a value', () => {
    // （含工艺、设备、… read as [吾工芸松: the whole label still matches best; nothing is inline.
    const cells = [
      cell(0, 0, '技术水平现状\n[吾工芸松\n备、人才团\n队、研发平台\n等情况)'),
      cell(0, 1, '已建成釉料研发实验室。', 4),
    ];
    const t = locateFields('demand', cells).found.find((f) => f.key === 'techStatus');
    expect(t?.mode).toBe('right');
    expect(t?.valueText).toBe('已建成釉料研发实验室。');
  });

  it('takes the rest of a label read badly after its short form for the label, not for an inline value', () => {
    // （含工艺、设备、人才团队、… read as 《仅工芸,许 名“人寸团 欣…: six characters in sixteen wrong,
    // too many for the whole label to match; the value is still the cell beside.
    const cells = [
      cell(0, 0, '技术水平现状\n《仅工芸,许\n名“人寸团\n欣\n研发平台等情\n况)'),
      cell(0, 1, '企业与国内知名高校建立了产学研合作关系。', 4),
    ];
    const t = locateFields('demand', cells).found.find((f) => f.key === 'techStatus');
    expect(t?.mode).toBe('right');
    expect(t?.valueText).toBe('企业与国内知名高校建立了产学研合作关系。');
    // A value written after the short label shares next to nothing with the label's rest.
    const inline = [cell(0, 0, '技术水平现状：已建成釉料研发实验室，配备窑炉。', 4)];
    const v = locateFields('demand', inline).found.find((f) => f.key === 'techStatus');
    expect(v?.mode).toBe('inline');
    expect(v?.valueText).toBe('已建成釉料研发实验室，配备窑炉。');
  });

  it('never takes the words a form prints besides its labels (the needs block’s heading) for a value', () => {
    // The value cell beside 技术水平现状 lost with the table's right border: below the label is the
    // column printing 技术人才需求 downwards (one character misread).
    const cells = [
      cell(0, 0, '技术水平现状\n(含工艺、设\n备、人才团\n队、\n研发平台等情\n况)', 2),
      cell(1, 0, '技\n术\n人\n才\n阮\n求', 1, 2),
      cell(1, 1, '需解决的难\n题及预期效\n果(含技术\n难题、产品\n设计、项目\n申报等)'),
    ];
    const t = locateFields('demand', cells).found.find((f) => f.key === 'techStatus');
    expect(t?.mode).toBe('inline');
    expect(t?.unplaced).toBe(true);
    // A value that begins with the same words is a value.
    const right = [cell(0, 0, '技术水平现状'), cell(0, 1, '技术人才需求分析能力较强，已建成研发中心。')];
    expect(locateFields('demand', right).found.find((f) => f.key === 'techStatus')?.valueText).toBe(
      '技术人才需求分析能力较强，已建成研发中心。',
    );
  });

  it('marks an opinion as unplaced when its label cell holds only the label and （盖章）, and no cell is beside it', () => {
    // A seal over the table's right rule: the value cells were never closed, only the label cells remain.
    const cells = [cell(0, 0, '推荐单位意\n见(盖章)', 2), cell(1, 0, '审核意见\n(盖章)', 2)];
    const found = locateFields('demand', cells).found;
    const rec = found.find((f) => f.key === 'recommendation.opinion');
    expect(rec?.mode).toBe('inline');
    expect(rec?.unplaced).toBe(true);
    expect(found.find((f) => f.key === 'approval.opinion')?.unplaced).toBe(true);
  });

  it('gives each of two stacked opinion labels its own part of a value cell whose rule between was lost', () => {
    const at = (c: GridCell, x: number, y: number, w: number, h: number): GridCell => ({
      ...c,
      box: { x, y, w, h },
    });
    const merged = at(cell(0, 1, '所填内容属实，请予支持。', 1, 2), 300, 1000, 1600, 1400);
    const cells = [
      at(cell(0, 0, '推荐单位意\n见（盖章）'), 100, 1000, 200, 700),
      merged,
      at(cell(1, 0, '审核意见\n（盖章）'), 100, 1700, 200, 700),
    ];
    const found = locateFields('demand', cells).found;
    const rec = found.find((f) => f.key === 'recommendation.opinion');
    const approval = found.find((f) => f.key === 'approval.opinion');
    expect(rec?.mode).toBe('right');
    expect(rec?.valueCell.box).toEqual({ x: 300, y: 1000, w: 1600, h: 700 });
    expect(rec?.valueText).toBe('所填内容属实，请予支持。');
    expect(approval?.mode).toBe('right');
    expect(approval?.unplaced).toBeUndefined();
    expect(approval?.valueCell.box).toEqual({ x: 300, y: 1700, w: 1600, h: 700 });
    expect(approval?.valueText).toBe('');
    // A value cell beside one label only is its value whole, however tall.
    const alone = locateFields('demand', cells.slice(0, 2)).found.find(
      (f) => f.key === 'recommendation.opinion',
    );
    expect(alone?.valueCell).toBe(merged);
  });

  it('takes no mark left alone after an inline label’s colon for the value’s start', () => {
    const value = (text: string) =>
      locateFields('demand', [{ ...cell(0, 0, text, 4), unreadRows: 2 }]).found.find(
        (f) => f.key === 'techStatus',
      )?.valueText;
    // The cell's right rule read as 1 at the end of the label's row; the value starts below.
    expect(value('技术水平现状(含工艺、设备、人才团队、研发平台等情况) : 1\n已建成试验中心。')).toBe(
      '已建成试验中心。',
    );
    // A list's first number is the value's, on the label's row or below it.
    expect(value('技术水平现状(含工艺、设备、人才团队、研发平台等情况) :\n1、已建成试验中心。')).toBe(
      '1、已建成试验中心。',
    );
    expect(value('技术水平现状(含工艺、设备、人才团队、研发平台等情况) : 1、已建成试验中心。')).toBe(
      '1、已建成试验中心。',
    );
  });

  it('places a value under its label in the same cell when the cell has rows not read yet', () => {
    // A full-width cell: 个人或团队简介和主要业绩： on its first row, the paragraph on the rows below,
    // and no cell beside or below it. Pass 1 read only the label row; the rest is the value.
    const profile = { ...cell(0, 0, '个人或团队简介和主要业绩：', 4), unreadRows: 3 };
    const found = locateFields('registration', [profile]).found.find((f) => f.key === 'profile');
    expect(found?.mode).toBe('inline');
    expect(found?.unplaced).toBeUndefined();
    // The cell's left rule read as ‖ before the label takes nothing of the label's end into the value.
    const ruled = { ...profile, text: '‖个人或团队简介和主要业绩:\n主持完成项目。' };
    const withRule = locateFields('registration', [ruled]).found.find((f) => f.key === 'profile');
    expect(withRule?.valueText).toBe('主持完成项目。');
    // The same cell with nothing under its label: where the value is, nobody knows.
    const bare = locateFields('registration', [cell(0, 0, '个人或团队简介和主要业绩：', 4)]).found;
    expect(bare.find((f) => f.key === 'profile')?.unplaced).toBe(true);
  });

  it('takes a note wrapped to the label cell’s next row for a note, not for an inline value', () => {
    // 审核意见（盖 / 章） in a narrow label cell, its second row not read; the value is to the right.
    const cells = [{ ...cell(0, 0, '审核意见(盖'), unreadRows: 1 }, cell(0, 1, '')];
    const found = locateFields('registration', cells).found.find((f) => f.key === 'approval.opinion');
    expect(found?.mode).toBe('right');
    expect(found?.valueCell).toBe(cells[1]);
  });

  it('strips a label and a colon', () => {
    expect(stripLabel('填报单位：景德镇陶瓷大学', '填报单位')).toBe('景德镇陶瓷大学');
  });
});

const labelIn = (form: Parameters<typeof otherLabelAt>[0], key: string, text: string) =>
  otherLabelAt(form, key, text)?.label;

describe('page classification', () => {
  it('names the other pages a page of only the opinion cells may be', () => {
    const cls = classifyTexts(['推荐单位意见：情况属实，同意推荐。', '审核意见：']);
    expect(cls?.distinctive).toBe(false);
    const all = [{ form: cls?.form, page: cls?.page }, ...(cls?.alternatives ?? [])];
    expect(all).toEqual(
      expect.arrayContaining([
        { form: 'registration', page: 2 },
        { form: 'demand', page: 2 },
      ]),
    );
    // A page with a label of its own is that page alone.
    expect(classifyTexts(['拟在企业开展的工作', '推荐单位意见', '审核意见'])?.alternatives).toBeUndefined();
  });

  it('tells the forms and their pages apart', () => {
    expect(classifyTexts(registrationPage1.map((c) => c.text))).toMatchObject({
      form: 'registration',
      page: 1,
    });
    expect(classifyTexts(['拟在企\n业开展\n的工作', '推荐单\n位意见', '审核\n意见'])).toMatchObject({
      form: 'registration',
      page: 2,
    });
    expect(
      classifyTexts([
        '拟组建或需\n完善的技术\n研发平台',
        '重大科技合\n作项目需求',
        '急需专业人\n才类别及层\n次要求',
        '推荐单位\n意见',
      ]),
    ).toMatchObject({ form: 'demand', page: 2 });
    expect(classifyTexts(['产业发展重大技术难题征集表', '难题名称', '所属产业', '通讯地址'])).toMatchObject({
      form: 'problem',
      page: 1,
    });
  });

  it('says when only the labels every form prints were read', () => {
    // 推荐单位意见 and 审核意见 close every form: with the other labels garbled, any last page fits.
    const garbled = ['研发国队及专业技札人才城乐', '重大林技史作侠目雨东', '推荐单位意见', '审核意见'];
    expect(classifyTexts(garbled)?.distinctive).toBe(false);
    expect(classifyTexts(['拟在企\n业开展\n的工作', '推荐单\n位意见', '审核\n意见'])?.distinctive).toBe(true);
  });

  it('takes the page whose own labels were read over a shorter page that shares the rest', () => {
    // Demand page 2 printed from the 重大科技合作项目需求 row on: two of its own labels and the two
    // opinion labels — two thirds of registration page 2's labels, but none of its own.
    expect(
      classifyTexts([
        '重大科技合\n作项目需求',
        '急需专业人\n才类别及层\n次要求',
        '推荐单\n位意见',
        '审核\n意见',
      ]),
    ).toMatchObject({ form: 'demand', page: 2, distinctive: true });
  });

  it('says nothing for a page of another document', () => {
    expect(classifyTexts(['会议签到表', '序号', '单位', '签名'])).toBeUndefined();
  });
});

describe('another field’s label inside a value', () => {
  it('is found on a line of its own or starting one, never the field’s own', () => {
    expect(
      labelIn('demand', 'recommendation.opinion', '所填内容属实，请予支持。\n审核意见：\n年 月 日'),
    ).toBe('审核意见');
    expect(labelIn('registration', 'recommendation.opinion', '同意推荐。\n审核意见:同意。')).toBe('审核意见');
    expect(
      labelIn('registration', 'profile', '个人或团队简介和主要业绩：\n参与制定行业标准3项'),
    ).toBeUndefined();
    expect(
      labelIn('registration', 'recommendation.opinion', '情况属实，同意推荐。\n（盖章）\n2020年5月3日'),
    ).toBeUndefined();
  });

  it('is found after a bar within a row, with the value before it', () => {
    // The dividers of the 联系人 row lost: the person's cell ran into 联系电话 and the number.
    expect(otherLabelAt('problem', 'contactPerson', '万霞|联系电话| 0798-8073847')).toEqual({
      label: '联系电话',
      before: '万霞',
    });
    expect(otherLabelAt('problem', 'contactPerson', '彭桂|“联系电话|18000564582')?.before).toBe('彭桂');
    // A bar with no label after it is no other field.
    expect(otherLabelAt('problem', 'contactPerson', '万霞|')).toBeUndefined();
  });
});
