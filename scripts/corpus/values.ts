// Fictional contents for the typesetting corpus: people, companies, units and their texts across
// the trades of the programme (ceramics, new materials, aviation, pharma and chemistry, electronics,
// machinery, tea and food …), written the many ways people write them on paper — 2020年5月3日 or
// 2020.5.3, 138 0798 1234 or （0798）8576556, 1.2亿元 or 800万.
//
// Every field carries `raw` (exactly what is printed) and `value` (its normal form, DOMAIN.md).
// Values are computed independently of the product's parsers and then checked against them: a
// combination the normaliser reads differently (or only with a warning) is drawn again, so the
// truth never depends on an ambiguity.
//
// Nothing here is copied from samples/records: names, companies, numbers and prose are built from
// the banks below, large enough that dev and test seeds draw different texts.
import { normalizeField } from '../../src/domain/normalize.js';
import { FORMS } from '../../src/forms/index.js';
import type { FieldValue, FormKind, SubmissionRecord } from '../../src/types.js';
import type { Random } from '../samples/random.js';

// ---- dice ------------------------------------------------------------------------------------

export const pick = <T>(rng: Random, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng.next() * items.length)] as T;
};

export const int = (rng: Random, min: number, max: number): number =>
  min + Math.floor(rng.next() * (max - min + 1));

export const chance = (rng: Random, p: number): boolean => rng.next() < p;

/** `n` distinct items in random order. */
export function pickSome<T>(rng: Random, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length > 0)
    out.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0] as T);
  return out;
}

/** Weighted choice: `[item, weight]` pairs. */
export function weighted<T>(rng: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

// ---- people ----------------------------------------------------------------------------------

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞',
  '欧阳',
  '司马',
  '上官',
];
const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红建文辉力永健林波宁斌亮浩凯鹏飞鑫瑞琳雪晨晓宇航俊峰毅海燕颖婷慧琪诗雅欣怡振国志远德成立新春秋松柏梅竹清泉翔云龙凤凰锦程若愚思源景行致远嘉禾启明子涵一鸣',
];

function personName(rng: Random): { name: string; gender: '男' | '女' } {
  const gender = chance(rng, 0.62) ? '男' : '女';
  const surname = pick(rng, SURNAMES);
  const given = chance(rng, 0.7) ? pick(rng, GIVEN) + pick(rng, GIVEN) : pick(rng, GIVEN);
  const name = surname + given;
  return name.length < 2 ? personName(rng) : { name, gender };
}

// ---- trades ----------------------------------------------------------------------------------

interface Trade {
  key: string;
  /** 所属产业 as written: vocabulary names and aliases (config/vocabularies.yaml, industry). */
  industry: readonly string[];
  /** Words in company names. */
  company: readonly string[];
  products: readonly string[];
  processes: readonly string[];
  equipment: readonly string[];
  defects: readonly string[];
  techs: readonly string[];
  platforms: readonly string[];
  talents: readonly string[];
  expertise: readonly string[];
  /** Disciplines of a team. */
  disciplines: readonly string[];
  /** Departments of a university or institute. */
  departments: readonly string[];
  /** Title series that fit the trade (config/vocabularies.yaml, titleLevel). */
  titles: readonly string[];
  /** Preferred districts and parks. */
  districts: readonly string[];
}

const TRADES: readonly Trade[] = [
  {
    key: 'ceramics',
    industry: ['陶瓷', '日用陶瓷', '艺术陶瓷', '陶瓷产业', '陈设艺术陶瓷'],
    company: ['瓷业', '陶瓷', '日用瓷', '艺术瓷', '窑业', '陶艺'],
    products: [
      '高白瓷餐具',
      '骨质瓷茶具',
      '青花瓷器',
      '颜色釉陈设瓷',
      '薄胎瓷',
      '玲珑瓷',
      '酒店用瓷',
      '手绘粉彩瓷',
      '釉下彩餐具',
    ],
    processes: [
      '注浆成型',
      '滚压成型',
      '等静压成型',
      '一次烧成',
      '低温快烧',
      '釉下彩装饰',
      '贴花烤花',
      '手工拉坯',
    ],
    equipment: ['隧道窑', '梭式窑', '辊道窑', '滚压成型机', '高压注浆机', '全自动施釉线', '喷墨打印机'],
    defects: ['坯体变形', '釉面针孔', '烧成开裂', '色差', '阴黄', '釉面起泡', '铅镉溶出超标', '落渣'],
    techs: [
      '低温快烧',
      '窑炉余热回收',
      '数字化釉料配方',
      '陶瓷3D打印',
      '高透光瓷坯配方',
      '无铅釉料',
      '智能窑温控制',
    ],
    platforms: ['陶瓷材料检测中心', '釉料研发实验室', '日用陶瓷工程技术研究中心', '陶瓷设计工作室'],
    talents: ['陶瓷材料工程师', '釉料配方技术人员', '窑炉热工技术人员', '陶瓷产品设计师', '质量检测人员'],
    expertise: [
      '陶瓷坯釉料配方设计',
      '陶瓷窑炉热工测试',
      '日用陶瓷成型工艺',
      '陶瓷装饰设计',
      '陶瓷显微结构分析',
      '颜色釉呈色机理',
    ],
    disciplines: ['无机非金属材料', '热能工程', '工业设计', '陶瓷艺术设计', '材料化学'],
    departments: ['材料科学与工程学院', '设计艺术学院', '陶瓷美术学院', '机械电子工程学院'],
    titles: ['讲师', '副教授', '教授', '工艺美术师', '高级工艺美术师', '工程师', '高级工程师'],
    districts: ['珠山区', '昌江区', '陶瓷工业园区', '浮梁县'],
  },
  {
    key: 'materials',
    industry: ['新材料', '先进陶瓷', '工业陶瓷', '新材料产业', '高技术陶瓷'],
    company: ['新材料', '精密陶瓷', '特种陶瓷', '材料科技', '结构陶瓷'],
    products: [
      '氧化锆结构件',
      '碳化硅密封环',
      '氮化硅轴承球',
      '陶瓷过滤膜',
      '蜂窝陶瓷载体',
      '氧化铝陶瓷基片',
      '陶瓷喷嘴',
    ],
    processes: ['干压成型', '流延成型', '凝胶注模', '热压烧结', '气压烧结', '精密磨削', '喷雾造粒'],
    equipment: ['真空烧结炉', '等静压机', '流延机', '平面磨床', '激光粒度仪', '气氛保护炉'],
    defects: ['烧结密度不足', '尺寸精度差', '微裂纹', '批次稳定性差', '粉体团聚', '强度离散大'],
    techs: ['纳米粉体分散', '陶瓷注射成型', '放电等离子烧结', '陶瓷金属化', '无损检测', '增材制造'],
    platforms: ['先进陶瓷材料实验室', '粉体制备中试线', '材料性能检测平台', '省级企业技术中心'],
    talents: ['材料科学与工程专业研究生', '粉体工程技术人员', '无损检测工程师', '工艺工程师'],
    expertise: ['结构陶瓷制备与烧结', '陶瓷粉体合成', '材料力学性能测试', '功能陶瓷薄膜', '陶瓷基复合材料'],
    disciplines: ['材料科学与工程', '粉体工程', '材料物理', '机械工程', '分析化学'],
    departments: ['材料科学与工程学院', '国家日用及建筑陶瓷工程技术研究中心', '先进陶瓷研究所'],
    titles: ['副教授', '教授', '助理研究员', '副研究员', '研究员', '高级工程师', '正高级工程师'],
    districts: ['高新区', '昌江区', '景德镇经济开发区', '乐平工业园区'],
  },
  {
    key: 'aviation',
    industry: ['航空', '航空制造', '直升机', '通用航空', '航空产业'],
    company: ['航空部件', '航空科技', '航宇', '航空装备', '飞行器'],
    products: [
      '直升机复合材料旋翼',
      '航空紧固件',
      '机载线束',
      '钣金结构件',
      '无人直升机',
      '航空液压管路',
      '机载电子设备',
    ],
    processes: ['热压罐成型', '数控加工', '钣金成形', '线束压接', '表面阳极氧化', '复合材料铺层', '无损探伤'],
    equipment: ['五轴加工中心', '热压罐', '超声C扫描设备', '三坐标测量机', '数控折弯机', '激光切割机'],
    defects: ['复合材料分层', '孔位精度超差', '表面腐蚀', '疲劳裂纹', '装配应力', '导通不良'],
    techs: ['复合材料自动铺丝', '数字化装配', '结构健康监测', '轻量化设计', '适航验证', '机器人钻铆'],
    platforms: ['航空零部件检测中心', '复合材料工艺实验室', '直升机部件研发中心'],
    talents: ['飞行器设计专业工程师', '复合材料工艺工程师', '适航工程师', '数控编程技术人员'],
    expertise: ['直升机结构设计', '航空复合材料工艺', '飞行器动力学', '航空电子系统集成', '航空零件数控加工'],
    disciplines: ['飞行器设计', '复合材料', '机械制造', '电子工程', '质量管理'],
    departments: ['总体设计部', '结构强度部', '复合材料研究室', '机电工程学院'],
    titles: ['工程师', '高级工程师', '正高级工程师', '研究员', '副研究员'],
    districts: ['高新区', '昌江区', '景德镇经济开发区'],
  },
  {
    key: 'pharma',
    industry: ['医药化工', '医药', '化工', '精细化工', '生物医药'],
    company: ['制药', '医药', '化工', '生物科技', '药业'],
    products: ['原料药', '医药中间体', '中药提取物', '兽用化学药', '精细化学品', '固体制剂', '植物提取物'],
    processes: ['连续流反应', '结晶纯化', '超临界萃取', '喷雾干燥', '手性合成', '膜分离', '发酵提取'],
    equipment: ['反应釜', '离心机', '高效液相色谱仪', '多效蒸发器', '流化床干燥机', '溶剂回收装置'],
    defects: ['收率偏低', '杂质超标', '溶剂残留', '批次差异', '三废处理成本高', '晶型不稳定'],
    techs: ['绿色合成工艺', '连续化生产', '质量源于设计', '废水资源化', '微通道反应', '一致性评价'],
    platforms: ['药物分析实验室', '中试车间', '企业技术中心', '质量研究实验室'],
    talents: ['药物化学专业研究生', '化工工艺工程师', '药品注册专员', '分析检测人员'],
    expertise: ['有机合成工艺开发', '药物分析与质量控制', '中药有效成分提取', '化工过程安全', '制剂工艺研究'],
    disciplines: ['药物化学', '化学工程', '药剂学', '分析化学', '环境工程'],
    departments: ['化学与化工学院', '药学系', '生物与制药工程系'],
    titles: ['主管药师', '副主任药师', '工程师', '高级工程师', '副教授', '讲师'],
    districts: ['乐平市', '乐平工业园区', '昌江区', '浮梁县'],
  },
  {
    key: 'electronics',
    industry: ['电子信息', '电子', '信息技术', '电子信息产业'],
    company: ['电子', '电子科技', '信息技术', '智能科技', '微电子'],
    products: [
      '压电陶瓷元件',
      '电子陶瓷基板',
      'LED驱动电源',
      '智能电表',
      '物联网传感器',
      '印制电路板',
      '工业控制器',
    ],
    processes: ['表面贴装', '回流焊接', '厚膜印刷', '激光调阻', '自动光学检测', '三防涂覆'],
    equipment: ['贴片机', '回流焊炉', 'AOI检测仪', '丝网印刷机', '老化测试柜', '频谱分析仪'],
    defects: ['焊点虚焊', '产品一致性差', '电磁兼容不达标', '高温失效', '功耗偏高', '良品率低'],
    techs: ['嵌入式软件', '电磁兼容设计', '低功耗无线通信', '机器视觉检测', 'MES系统', '工业互联网'],
    platforms: ['电子产品可靠性实验室', 'EMC测试室', '软件研发中心', '智能制造示范线'],
    talents: ['嵌入式软件工程师', '硬件设计工程师', '电子测试工程师', '数据分析人员'],
    expertise: ['嵌入式系统开发', '电子陶瓷元器件', '电力电子与电源设计', '工业物联网', '信号处理'],
    disciplines: ['电子信息工程', '计算机科学', '自动化', '通信工程', '软件工程'],
    departments: ['信息工程学院', '机械电子工程学院', '电子与信息工程系'],
    titles: ['工程师', '高级工程师', '讲师', '副教授', '助理工程师'],
    districts: ['高新区', '昌江区', '昌南新区', '珠山区'],
  },
  {
    key: 'machinery',
    industry: ['机械制造', '装备制造', '机械', '机电'],
    company: ['机械', '重工', '装备', '精工', '机电设备'],
    products: [
      '陶瓷成型设备',
      '数控机床零部件',
      '液压油缸',
      '窑炉装备',
      '输送机械',
      '减速机',
      '农业机械配件',
    ],
    processes: ['精密铸造', '数控车削', '热处理', '焊接装配', '表面淬火', '喷涂'],
    equipment: ['数控车床', '加工中心', '中频淬火机', '焊接机器人', '龙门铣床', '动平衡机'],
    defects: ['加工精度不稳定', '铸件气孔', '焊缝开裂', '噪声偏大', '磨损过快', '装配返工率高'],
    techs: ['数字孪生', '精密加工', '机器人集成', '设备远程运维', '再制造', '有限元分析'],
    platforms: ['机械产品设计中心', '检测试验中心', '工程技术研究中心'],
    talents: ['机械设计工程师', '数控编程人员', '焊接工程师', '电气自动化工程师'],
    expertise: ['机械设计及理论', '数控技术', '液压与气动', '智能制造装备', '材料成型及控制'],
    disciplines: ['机械设计制造及其自动化', '材料成型', '电气工程', '工业工程'],
    departments: ['机械电子工程学院', '智能制造学院', '机电工程系'],
    titles: ['工程师', '高级工程师', '正高级工程师', '讲师', '副教授', '技术员'],
    districts: ['昌江区', '景德镇经济开发区', '乐平市', '浮梁产业园'],
  },
  {
    key: 'agriculture',
    industry: ['农业及食品', '茶叶', '农业', '食品', '农产品加工'],
    company: ['茶业', '农业开发', '生态农业', '食品', '茶叶'],
    products: ['浮梁红茶', '高山绿茶', '速溶茶粉', '有机大米', '米粉', '茶饮料', '富硒农产品'],
    processes: ['萎凋发酵', '杀青揉捻', '低温烘焙', '清洁化加工', '冷链保鲜', '标准化种植'],
    equipment: ['全自动揉捻机', '连续烘干机', '色选机', '真空包装机', '冷库'],
    defects: ['品质不稳定', '农残检测压力大', '香气不足', '加工效率低', '保质期短', '茶园病虫害'],
    techs: ['茶叶清洁化连续化加工', '绿色防控', '品质分级', '茶多酚提取', '溯源系统', '智慧茶园'],
    platforms: ['茶叶品质检测室', '良种繁育基地', '农产品加工研发中心'],
    talents: ['茶学专业技术人员', '食品工程师', '农艺师', '电商运营人员'],
    expertise: ['茶树栽培与育种', '茶叶加工工艺', '食品质量安全', '植物保护', '农产品深加工'],
    disciplines: ['茶学', '食品科学', '植物保护', '农业经济管理'],
    departments: ['农学系', '生命科学学院', '食品工程系'],
    titles: ['农艺师', '高级农艺师', '助理农艺师', '讲师', '副教授'],
    districts: ['浮梁县', '乐平市', '昌江区', '浮梁产业园'],
  },
  {
    key: 'auto',
    industry: ['汽车及零部件', '汽车零部件', '汽车'],
    company: ['汽车零部件', '汽配', '车辆部件', '机动车配件'],
    products: ['汽车线束', '刹车片', '减震器', '发动机冷却系统部件', '汽车内饰件', '转向节'],
    processes: ['冲压', '注塑', '粉末冶金', '电泳涂装', '模具开发', '精密装配'],
    equipment: ['冲压生产线', '注塑机', '电泳线', '疲劳试验台', '在线检测设备'],
    defects: ['尺寸一致性差', '噪声异响', '耐久性不足', '模具寿命短', '涂层附着力差'],
    techs: ['轻量化材料应用', '模具快速制造', '智能检测', '新能源汽车配套', '精益生产'],
    platforms: ['汽车零部件试验中心', '模具设计中心', '产品检测实验室'],
    talents: ['车辆工程专业工程师', '模具设计师', '质量工程师', '工艺技术员'],
    expertise: ['汽车零部件设计', '模具设计与制造', '车辆动力学', '汽车电子', '精益生产管理'],
    disciplines: ['车辆工程', '模具设计', '材料工程', '质量管理'],
    departments: ['机械电子工程学院', '汽车工程系'],
    titles: ['工程师', '高级工程师', '助理工程师', '讲师'],
    districts: ['昌江区', '景德镇经济开发区', '昌南新区'],
  },
  {
    key: 'energy',
    industry: ['新能源', '光伏', '新能源产业'],
    company: ['新能源', '光电', '能源科技', '储能'],
    products: ['光伏组件', '锂电池正极材料', '储能电池包', '光伏支架', '充电桩'],
    processes: ['电池片串焊', '层压封装', '正极材料烧结', '电芯分容', 'BMS调试'],
    equipment: ['串焊机', '层压机', '辊道炉', '电池测试系统', '老化房'],
    defects: ['组件隐裂', '电池一致性差', '循环寿命短', '转换效率偏低', '热失控风险'],
    techs: ['高效电池片', '储能系统集成', '电池梯次利用', '光伏运维监测', '固态电池'],
    platforms: ['电池性能测试中心', '新能源研究院', '储能系统实验室'],
    talents: ['电化学专业研究生', '电力电子工程师', '光伏系统设计人员'],
    expertise: ['锂离子电池材料', '光伏系统设计', '储能系统集成', '电化学测试'],
    disciplines: ['电化学', '电气工程', '材料化学', '能源动力'],
    departments: ['材料科学与工程学院', '电气工程系'],
    titles: ['工程师', '高级工程师', '副教授', '助理研究员'],
    districts: ['高新区', '乐平市', '浮梁县', '昌南新区'],
  },
  {
    key: 'environment',
    industry: ['节能环保', '环保', '节能'],
    company: ['环保科技', '环境工程', '节能科技', '水处理'],
    products: ['工业废水处理设备', '窑炉烟气脱硫装置', '除尘器', '固废资源化产品', '节能改造服务'],
    processes: ['生化处理', '膜过滤', '湿法脱硫', '袋式除尘', '污泥干化'],
    equipment: ['曝气系统', '压滤机', '脱硫塔', '在线监测仪', 'MBR膜组件'],
    defects: ['排放不稳定', '运行能耗高', '污泥处置困难', '膜污染', '脱硫效率低'],
    techs: ['废水深度处理', '超低排放', '余热利用', '固废综合利用', '智慧环保监测'],
    platforms: ['环境检测实验室', '环保工程技术中心'],
    talents: ['环境工程专业技术人员', '化学分析人员', '工艺设计工程师'],
    expertise: ['工业废水处理', '大气污染控制', '固体废物资源化', '环境监测'],
    disciplines: ['环境工程', '化学工程', '给排水', '热能工程'],
    departments: ['环境与化学工程学院', '资源与环境系'],
    titles: ['工程师', '高级工程师', '讲师', '副教授', '实验师'],
    districts: ['昌江区', '珠山区', '乐平工业园区'],
  },
  {
    key: 'culture',
    industry: ['文化创意', '文创', '陶瓷文化创意', '文化旅游'],
    company: ['文化创意', '文化传播', '陶瓷文化', '设计'],
    products: ['陶瓷文创产品', '数字陶瓷藏品', '研学课程', '陶艺体验项目', '城市伴手礼'],
    processes: ['创意设计', '小批量定制', '数字建模', '手工彩绘'],
    equipment: ['三维扫描仪', '陶瓷3D打印机', '电窑', 'UV打印机'],
    defects: ['产品同质化', '设计转化率低', '品牌影响力弱', '定制交期长'],
    techs: ['数字化设计', '非遗技艺活化', '虚拟展示', '柔性定制生产'],
    platforms: ['文创设计中心', '陶瓷文化研学基地'],
    talents: ['文创设计师', '新媒体运营人员', '陶艺技师'],
    expertise: ['陶瓷艺术设计', '文创产品开发', '非物质文化遗产保护', '数字媒体艺术'],
    disciplines: ['视觉传达设计', '陶瓷艺术', '数字媒体', '文化产业管理'],
    departments: ['设计艺术学院', '陶瓷美术学院', '人文学院'],
    titles: ['工艺美术师', '高级工艺美术师', '讲师', '副教授', '助理工艺美术师'],
    districts: ['珠山区', '昌江区', '昌南新区'],
  },
  {
    key: 'appliances',
    industry: ['家用电器', '家电'],
    company: ['电器', '家电科技', '厨具'],
    products: ['电陶炉', '陶瓷加热片', '小家电控制板', '净水器', '陶瓷内胆电饭煲'],
    processes: ['注塑成型', '钣金喷涂', '整机装配', '功能检测'],
    equipment: ['自动装配线', '注塑机', '功率测试台', '安规测试仪'],
    defects: ['能效偏低', '返修率高', '外观缺陷', '温控精度差'],
    techs: ['智能温控', '远红外加热', '变频控制', '工业设计'],
    platforms: ['产品研发中心', '质量检测中心'],
    talents: ['电气工程师', '结构设计工程师', '工业设计师'],
    expertise: ['家电控制电路', '传热学应用', '工业产品设计', '电气安全'],
    disciplines: ['电气工程', '工业设计', '热能工程'],
    departments: ['机械电子工程学院', '信息工程学院'],
    titles: ['工程师', '高级工程师', '讲师', '助理工程师'],
    districts: ['昌南新区', '景德镇经济开发区', '高新区'],
  },
];

// ---- places and units --------------------------------------------------------------------------

/** 所属县（市、区）、园区 as written: canonical names and common aliases. */
const DISTRICT_RAW: Record<string, readonly string[]> = {
  珠山区: ['珠山区', '珠山区', '景德镇市珠山区'],
  昌江区: ['昌江区', '昌江区', '景德镇市昌江区'],
  浮梁县: ['浮梁县', '浮梁县', '景德镇市浮梁县'],
  乐平市: ['乐平市', '乐平市'],
  高新区: ['高新区', '景德镇高新区', '国家高新区'],
  陶瓷工业园区: ['陶瓷工业园区', '陶瓷工业园'],
  昌南新区: ['昌南新区'],
  景德镇经济开发区: ['景德镇经济开发区', '经开区'],
  乐平工业园区: ['乐平工业园区', '乐平工业园'],
  浮梁产业园: ['浮梁产业园'],
};

const ROADS = [
  '新厂东路',
  '瓷都大道',
  '珠山中路',
  '昌江大道',
  '朝阳路',
  '梧桐大道',
  '陶阳南路',
  '金岭路',
  '长虹大道',
  '高新二路',
  '紫晶路',
  '沿河西路',
  '景东大道',
  '洪源大道',
  '浮梁大道',
  '翠屏路',
];

const BRAND = [
  ...'瓷韵恒鼎宏达华远盛景泰和新元同创润丰嘉禾瑞祥宇星博源天成汇通金岭昌盛鸿运卓越启航智联青峰云帆瀚海晟泽乾丰鼎新明德景瑞安泰永兴晶华东升',
];

/** A brand of two characters. */
const brand = (rng: Random): string => {
  const i = Math.floor(rng.next() * (BRAND.length / 2)) * 2;
  return `${BRAND[i]}${BRAND[i + 1]}`;
};

function companyName(rng: Random, trade: Trade): string {
  const prefix = weighted(rng, [
    ['景德镇市', 5],
    ['景德镇', 3],
    ['江西', 2],
    ['江西省', 1],
  ] as const);
  const suffix = weighted(rng, [
    ['有限公司', 6],
    ['股份有限公司', 2],
    ['有限责任公司', 2],
    ['科技有限公司', 2],
  ] as const);
  const word = pick(rng, trade.company);
  return `${prefix}${brand(rng)}${word}${suffix.startsWith('科技') && word.endsWith('科技') ? suffix.slice(2) : suffix}`;
}

/** Recommending units: the vocabulary's universities and institutes, and fictional ones. */
const KNOWN_UNITS = [
  '景德镇陶瓷大学',
  '景德镇学院',
  '江西陶瓷工艺美术职业技术学院',
  '景德镇陶瓷职业技术学院',
  '景德镇艺术职业大学',
  '中国轻工业陶瓷研究所',
  '中国直升机设计研究所',
  '景德镇陶瓷大学科技艺术学院',
];

function recommendingUnit(rng: Random, trade: Trade): string {
  if (trade.key === 'aviation' && chance(rng, 0.5)) return '中国直升机设计研究所';
  if (chance(rng, 0.7)) return pick(rng, KNOWN_UNITS);
  const kind = pick(rng, ['技术研究院', '研究所', '工程技术研究中心', '检验检测中心', '职业技术学院']);
  const field = pick(rng, ['材料', '轻工', '陶瓷', '农业科学', '化工', '电子信息', '机械', '环境科学']);
  return `${pick(rng, ['景德镇市', '江西省', '景德镇'])}${field}${kind}`;
}

// ---- dates, phones, amounts --------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function addDays(a: Ymd, days: number): Ymd {
  const t = new Date(Date.UTC(a.y, a.m - 1, a.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const iso = (a: Ymd) => `${a.y}-${pad2(a.m)}-${pad2(a.d)}`;

const DATE_STYLES = [
  (a: Ymd) => `${a.y}年${a.m}月${a.d}日`,
  (a: Ymd) => `${a.y}年${a.m}月${a.d}日`,
  (a: Ymd) => `${a.y}年${pad2(a.m)}月${pad2(a.d)}日`,
  (a: Ymd) => `${a.y} 年 ${a.m} 月 ${a.d} 日`,
  (a: Ymd) => `${a.y}.${a.m}.${a.d}`,
  (a: Ymd) => `${a.y}.${pad2(a.m)}.${pad2(a.d)}`,
  (a: Ymd) => `${a.y}-${pad2(a.m)}-${pad2(a.d)}`,
  (a: Ymd) => `${a.y}/${a.m}/${a.d}`,
  (a: Ymd) => `二〇二〇年${cnMonthDay(a.m)}月${cnMonthDay(a.d)}日`,
];

const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
function cnMonthDay(n: number): string {
  if (n <= 10) return CN[n] as string;
  if (n < 20) return `十${CN[n - 10]}`;
  return `${CN[Math.floor(n / 10)]}十${n % 10 === 0 ? '' : CN[n % 10]}`;
}

/** The printed date line of an unfilled date (年 月 日 with blanks). */
export const BLANK_DATE_LINES = [
  '年    月    日',
  '年   月   日',
  '    年    月    日',
  '年  月  日',
] as const;

function dateField(rng: Random, a: Ymd, styleBias?: number): FieldValue {
  const style =
    styleBias !== undefined
      ? (DATE_STYLES[styleBias] as (a: Ymd) => string)
      : weighted(
          rng,
          DATE_STYLES.map((s, i) => [s, i === 8 ? (a.y === 2020 ? 0.4 : 0) : i === 1 ? 3 : 1] as const),
        );
  return { value: iso(a), raw: style(a), confidence: 1 };
}

const YEAR_MONTH_STYLES = [
  (y: number, m: number) => `${y}年${m}月`,
  (y: number, m: number) => `${y}年${m}月`,
  (y: number, m: number) => `${y}.${pad2(m)}`,
  (y: number, m: number) => `${y}.${m}`,
  (y: number, m: number) => `${y}-${m}`,
  (y: number, m: number) => `${y}-${pad2(m)}`,
  (y: number, m: number) => `${y}年${pad2(m)}月`,
  (y: number, m: number) => `${y}/${m}`,
];

function yearMonthField(rng: Random, y: number, m: number): FieldValue {
  return { value: `${y}-${pad2(m)}`, raw: pick(rng, YEAR_MONTH_STYLES)(y, m), confidence: 1 };
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '157',
  '158',
  '159',
  '166',
  '170',
  '173',
  '177',
  '180',
  '181',
  '182',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

function digits(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(int(rng, 0, 9));
  return s;
}

// Fictional numbers: mobiles with 00 after the prefix, landlines in the 0798-80xxxxx block.
function phoneField(rng: Random, landline: number): FieldValue {
  if (chance(rng, landline)) {
    const number = `80${digits(rng, 5)}`;
    const value = `0798-${number}`;
    const raw = weighted(rng, [
      [value, 5],
      [`（0798）${number}`, 2],
      [`(0798)${number}`, 1],
      [`0798 ${number}`, 1],
      [`0798—${number}`, 1],
      [`0798${number}`, 1],
    ] as const);
    return { value, raw, confidence: 1 };
  }
  const prefix = pick(rng, MOBILE_PREFIXES);
  const middle = `00${digits(rng, 2)}`;
  const tail = digits(rng, 4);
  const value = `${prefix}${middle}${tail}`;
  const raw = weighted(rng, [
    [value, 5],
    [`${prefix} ${middle} ${tail}`, 3],
    [`${prefix}-${middle}-${tail}`, 1],
    [`${prefix} ${middle}${tail}`, 1],
  ] as const);
  return { value, raw, confidence: 1 };
}

/** Annual output in 万元, written as people do. */
function amountField(rng: Random): FieldValue {
  const big = chance(rng, 0.45);
  if (big) {
    const yi = int(rng, 10, 150) / 10; // 1.0 … 15 亿
    const value = Math.round(yi * 1e4);
    const yiText = Number.isInteger(yi) ? String(yi) : yi.toFixed(1);
    const raw = weighted(rng, [
      [`${yiText}亿元`, 4],
      [`${yiText}亿`, 2],
      [`约${yiText}亿元`, 1],
      [`${value}万元`, 2],
    ] as const);
    return { value, raw, confidence: 1 };
  }
  const value = int(rng, 3, 98) * 100 + (chance(rng, 0.3) ? int(rng, 1, 9) * 10 : 0);
  const raw = weighted(rng, [
    [`${value}万元`, 5],
    [`${value}万`, 3],
    [`约${value}万元`, 1],
    [`${value}万元以上`, 1],
  ] as const);
  return { value, raw, confidence: 1 };
}

// ---- prose -------------------------------------------------------------------------------------

type Slots = Record<string, () => string>;

function slots(rng: Random, trade: Trade): Slots {
  return {
    product: () => pick(rng, trade.products),
    process: () => pick(rng, trade.processes),
    equipment: () => pick(rng, trade.equipment),
    defect: () => pick(rng, trade.defects),
    tech: () => pick(rng, trade.techs),
    platform: () => pick(rng, trade.platforms),
    talent: () => pick(rng, trade.talents),
    expertise: () => pick(rng, trade.expertise),
    discipline: () => pick(rng, trade.disciplines),
    n: () => String(int(rng, 2, 9)),
    nn: () => String(int(rng, 10, 60)),
    big: () => String(int(rng, 3, 40) * 10),
    pct: () => String(int(rng, 60, 85)),
    pct2: () => String(int(rng, 90, 98)),
    years: () => String(int(rng, 3, 25)),
    level: () => pick(rng, ['国家级', '省级', '市级', '省部级', '横向']),
    edu: () => pick(rng, ['本科', '硕士研究生', '大专', '研究生']),
    partner: () =>
      pick(rng, [
        '景德镇陶瓷大学',
        '景德镇学院',
        '省内高校',
        '科研院所',
        '中国轻工业陶瓷研究所',
        '南昌大学',
        '江西师范大学',
        '国内知名高校',
      ]),
  };
}

function fill(template: string, s: Slots): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const f = s[k];
    if (!f) throw new Error(`no slot ${k}`);
    return f();
  });
}

const PROSE: Record<string, readonly string[]> = {
  expertise: [
    '{expertise}；{expertise}；{process}工艺优化。',
    '主要从事{expertise}研究，熟悉{process}和{process}工艺，能够独立开展{equipment}的调试与维护。',
    '长期从事{expertise}方面的教学与科研工作，擅长{tech}技术的工程化应用。',
    '{expertise}，特别是{product}生产中{defect}问题的分析与解决。',
    '熟悉{discipline}理论，在{tech}、{tech}等方向有较多实践经验。',
    '擅长{process}工艺参数优化、产品质量分析及{defect}等缺陷的成因诊断。',
    '{tech}技术研究与推广；{product}新产品开发；企业技术标准制定。',
    '能够运用{tech}方法解决生产现场问题，熟悉{equipment}等设备的选型与改造。',
    '从事{discipline}专业工作{years}年，主攻{expertise}。',
  ],
  profile: [
    '{years}年来一直从事{expertise}方面的研究，主持{level}科研项目{n}项，获授权发明专利{n}件，发表论文{nn}余篇。',
    '团队共{n}人，涵盖{discipline}、{discipline}等专业，其中高级职称{n}人。',
    '曾为{n}家企业解决{defect}等技术问题，累计为企业新增产值{big}余万元。',
    '主持完成“{tech}关键技术研究”项目，成果获{level}科技进步奖。',
    '参与制定行业标准{n}项，指导企业建成{platform}。',
    '先后在{partner}从事科研工作，具有较强的工程实践能力。',
    '近五年承担企业委托技术开发项目{n}项，合同经费{big}万元。',
    '团队长期与本地企业合作，在{product}领域积累了丰富经验。',
    '获评{level}优秀科技工作者，入选{level}人才计划。',
    '指导研究生{nn}名，培养企业技术骨干{nn}余人。',
  ],
  plannedWork: [
    '协助企业开展{tech}技术攻关，重点解决{product}生产中的{defect}问题。',
    '帮助企业优化{process}工艺，提高产品合格率和生产效率。',
    '指导企业建设{platform}，完善研发体系。',
    '为企业培养{talent}{n}名，提升企业自主创新能力。',
    '联合企业申报{level}科技项目{n}项，申请发明专利{n}件。',
    '对企业现有{equipment}进行技术改造，降低能耗{n}%以上。',
    '开展{product}新产品设计与开发，帮助企业拓展市场。',
    '定期到企业开展技术培训和现场指导，每月不少于{n}天。',
    '协助企业制定{product}企业标准，建立质量控制体系。',
  ],
  techStatus: [
    '公司现有{equipment}{n}台（套），主要采用{process}工艺，{product}年产能约{nn}万件。',
    '现有员工{big}人，其中专业技术人员{nn}人，{edu}以上学历{nn}人。',
    '已建成{platform}，配备{equipment}、{equipment}等研发检测设备。',
    '生产工艺以{process}为主，自动化程度较低，关键工序依赖熟练工人。',
    '企业与{partner}建立了产学研合作关系，但自有研发力量薄弱。',
    '目前拥有授权专利{n}项，其中发明专利{n}项。',
    '{product}产品质量总体稳定，但与国内先进水平相比仍有差距。',
    '公司为高新技术企业，设有技术部，研发人员{n}人。',
    '近年来投入{big}万元对{equipment}进行升级改造，产能有所提升。',
  ],
  'needs.problems': [
    '{product}生产中{defect}问题突出，合格率仅{pct}%左右，希望将合格率提高到{pct2}%以上。',
    '需解决{process}过程中的{defect}问题，降低生产成本。',
    '希望开展{tech}研究，提升{product}的技术含量和附加值。',
    '在{product}产品设计方面缺乏专业力量，需要协助开发系列新产品。',
    '需要协助申报{level}科技项目和高新技术企业认定。',
    '{defect}导致返工率高，希望通过工艺改进和检测手段解决。',
    '预期通过合作使单位产品能耗降低{n}%，年新增产值{big}万元。',
  ],
  'needs.teamTraining': [
    '希望协助企业组建{n}人左右的{expertise}研发团队。',
    '培养{talent}{n}名，建立企业内部技术培训制度。',
    '通过项目合作带动企业技术人员成长，培养{n}名技术骨干。',
    '希望专家定期来企业授课，提升一线员工{process}操作技能。',
    '与{partner}联合培养研究生，充实企业研发队伍。',
  ],
  'needs.rdPlatform': [
    '拟组建{platform}，需在建设方案、设备选型方面给予指导。',
    '完善现有{platform}，争取认定为{level}企业技术中心。',
    '拟与{partner}共建{platform}，要求具备{product}性能检测能力。',
    '建设{tech}中试线，实现科研成果就地转化。',
  ],
  'needs.techTransfer': [
    '希望承接{tech}、{tech}等技术成果，开发{product}新产品。',
    '拟引进{tech}新工艺，替代现有{process}工艺。',
    '关注{product}领域的新材料、新技术，愿意开展成果转化合作。',
    '希望转化{level}科研项目成果，形成{n}个以上新产品。',
  ],
  'needs.majorCooperation': [
    '拟与高校院所合作开展{tech}项目，总投资约{big}万元。',
    '联合申报{level}重大科技专项“{product}{tech}关键技术”。',
    '开展{product}智能化生产线建设合作，预计投资{big}万元。',
    '希望在{tech}方向与{partner}开展长期战略合作。',
  ],
  'needs.urgentTalent': [
    '急需{talent}{n}名，要求{edu}以上学历，具有{n}年以上相关工作经验。',
    '{talent}、{talent}各{n}名，硕士研究生优先。',
    '急需熟悉{process}工艺的高级技术人才{n}名。',
    '需要{discipline}专业中高级职称人才{n}名。',
  ],
  description: [
    '我市{product}产业发展较快，但{process}环节技术水平不高。',
    '目前行业普遍存在{defect}问题，产品合格率在{pct}%左右。',
    '需要解决的关键问题是{tech}技术，以及{equipment}的国产化替代。',
    '主要经济技术指标：产品合格率达到{pct2}%以上，能耗降低{n}%以上。',
    '难题攻关后预计年新增产值{big}万元，带动相关企业{nn}家。',
    '国内外已有{tech}的相关研究，但尚未在本地企业实现产业化应用。',
    '企业自身研发能力有限，急需借助{partner}的技术力量联合攻关。',
    '项目实施后可形成{level}技术标准{n}项，申请专利{n}件以上。',
  ],
};

const STRUCTURED_DESCRIPTION = ['发展现状', '技术难题', '经济技术指标', '需要解决的问题', '预期效果'];

const LIST_MARKERS = [
  (i: number) => `${i + 1}.`,
  (i: number) => `${i + 1}、`,
  (i: number) => `（${i + 1}）`,
  (i: number) => `${CN[i + 1]}、`,
  (i: number) => `${[...'①②③④⑤⑥⑦⑧⑨⑩'][i] ?? `${i + 1}.`}`,
];

/**
 * A paragraph text of 40–220 characters from the field's sentence bank: one running paragraph,
 * several paragraphs, or a numbered list (the printed numbers are part of the text).
 */
function prose(rng: Random, trade: Trade, field: string, min = 40, max = 220): string {
  const bank = PROSE[field];
  if (!bank) throw new Error(`no prose for ${field}`);
  const s = slots(rng, trade);
  const target = int(rng, min, max);
  const layout = weighted(rng, [
    ['run', 5],
    ['paragraphs', 2],
    ['list', 2],
  ] as const);
  const sentences: string[] = [];
  let length = 0;
  for (const template of pickSome(rng, bank, bank.length)) {
    const sentence = fill(template, s);
    if (length + sentence.length > max) continue;
    sentences.push(sentence);
    length += sentence.length;
    if (length >= target) break;
  }
  if (layout === 'run' || sentences.length < 2) return sentences.join('');
  if (layout === 'paragraphs') return sentences.join('\n');
  const marker = pick(rng, LIST_MARKERS);
  // The list's sentences end in ；, the last in 。.
  return sentences
    .map((t, i) => marker(i) + (i < sentences.length - 1 ? t.replace(/。$/, '；') : t))
    .join('\n');
}

function structuredDescription(rng: Random, trade: Trade): string {
  const s = slots(rng, trade);
  const bank = PROSE.description as readonly string[];
  const parts = pickSome(rng, STRUCTURED_DESCRIPTION, int(rng, 2, 4));
  const marker = pick(rng, [(i: number) => `${CN[i + 1]}、`, (i: number) => `${i + 1}.`, () => '']);
  return parts
    .map((p, i) => `${marker(i)}${p}：${fill(pick(rng, bank), s)}`)
    .join('\n')
    .slice(0, 230)
    .replace(/[^。]*$/, '');
}

// ---- opinions ----------------------------------------------------------------------------------

const RECOMMENDATION_OPINIONS = [
  '同意推荐。',
  '同意推荐。',
  '同意推荐该同志。',
  '同意推荐该同志入企开展协同创新工作。',
  '情况属实，同意推荐。',
  '经审核，以上情况属实，同意推荐。',
  '该同志政治素质好，业务能力强，同意推荐。',
  '该同志专业基础扎实，具有丰富的企业服务经验，同意推荐其入企工作。',
  '经研究，同意推荐该团队入企开展技术服务。',
  '所填内容属实，同意上报。',
  '同意。',
  '经单位研究，同意推荐。',
];

const DEMAND_RECOMMENDATIONS = [
  '同意推荐。',
  '情况属实，同意推荐。',
  '该企业需求真实，同意推荐。',
  '经核实，该企业所填情况属实，同意上报。',
  '该企业属我区重点培育企业，技术需求明确，同意推荐。',
  '同意上报。',
  '所填内容属实，请予支持。',
];

const APPROVAL_OPINIONS = [
  '同意。',
  '同意。',
  '同意入企。',
  '符合条件，同意。',
  '经审核，同意入选。',
  '经审核，符合选派条件，同意。',
  '同意列入需求目录。',
  '审核通过。',
];

// ---- fields ------------------------------------------------------------------------------------

const text = (raw: string): FieldValue => ({ value: expectedText(raw), raw, confidence: 1 });
const blank = (raw = ''): FieldValue => ({ value: null, raw, confidence: 1 });

/**
 * The normal form of a typed text, computed without the product's normaliser: NFKC per line,
 * paragraphs (lines) joined by \n, empty lines dropped. The texts here never put a space next to a
 * Chinese character and every paragraph ends in 。 or ； (or starts a numbered item), so this is
 * what DOMAIN.md's rule gives; fictionalRecord checks it against normalizeText.
 */
function expectedText(raw: string): string | null {
  const lines = raw
    .split('\n')
    .map((l) => l.normalize('NFKC').trim())
    .filter((l) => l !== '');
  return lines.length === 0 ? null : lines.join('\n');
}

interface OpinionOptions {
  bank: readonly string[];
  /** Chance the cell is filled at all. */
  filled: number;
  after: Ymd;
}

/** An opinion group: text, seal, date. Unfilled dates keep the printed 年 月 日 as their raw text. */
function opinionGroup(rng: Random, group: string, o: OpinionOptions): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  if (!chance(rng, o.filled)) {
    out[`${group}.opinion`] = blank();
    out[`${group}.stamped`] = { value: false, confidence: 1 };
    out[`${group}.date`] = chance(rng, 0.6) ? blank(pick(rng, BLANK_DATE_LINES)) : blank();
    return out;
  }
  const hasText = chance(rng, 0.93);
  let opinion = pick(rng, o.bank);
  if (chance(rng, 0.15)) opinion += pick(rng, ['', '特此推荐。', '请审核。', '请予支持。']);
  out[`${group}.opinion`] = hasText ? text(opinion) : blank();
  out[`${group}.stamped`] = { value: chance(rng, 0.92), confidence: 1 };
  const date = addDays(o.after, int(rng, 0, 20));
  // A filled cell always shows its date line: the date, or 年 月 日 left blank under the seal.
  out[`${group}.date`] = chance(rng, 0.88) ? dateField(rng, date) : blank(pick(rng, BLANK_DATE_LINES));
  return out;
}

function fillingDate(rng: Random): { ymd: Ymd; field: FieldValue } {
  const ymd = addDays({ y: 2020, m: 4, d: 20 }, int(rng, 0, 50));
  const field = chance(rng, 0.08) ? blank(pick(rng, BLANK_DATE_LINES)) : dateField(rng, ymd);
  return { ymd, field };
}

const EDUCATION_RAW: readonly (readonly [string, number])[] = [
  ['博士研究生', 4],
  ['博士', 2],
  ['硕士研究生', 5],
  ['硕士', 2],
  ['研究生', 2],
  ['本科', 4],
  ['大学本科', 1],
  ['大专', 1],
];

const TITLE_ALIASES: Record<string, readonly string[]> = {
  高级工程师: ['高级工程师', '高级工程师', '高工'],
  正高级工程师: ['正高级工程师', '教授级高级工程师'],
  助理工程师: ['助理工程师', '助工'],
};

const TEAM_SUFFIX = ['创新团队', '技术服务团队', '科研团队', '工作室', '研发团队', '专家团队'];
const POSITIONS = [
  '副教授',
  '教授',
  '讲师',
  '高级工程师',
  '副所长',
  '研究室主任',
  '系副主任',
  '实验室主任',
  '副院长',
  '教研室主任',
  '项目负责人',
  '总工程师',
];

function registration(rng: Random, trade: Trade): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = {};
  const unit = recommendingUnit(rng, trade);
  const filled = fillingDate(rng);
  f.fillingUnit = text(unit);
  f.fillingDate = filled.field;
  const person = personName(rng);
  f.name = text(person.name);
  f.gender = { value: person.gender, raw: person.gender, confidence: 1 };
  const born = { y: int(rng, 1962, 1994), m: int(rng, 1, 12) };
  f.birthMonth = yearMonthField(rng, born.y, born.m);
  f.photo = { value: null, confidence: 1 };
  const start = { y: Math.min(2019, born.y + int(rng, 20, 27)), m: pick(rng, [7, 7, 7, 8, 9, 3, 10, 12]) };
  f.workStart = yearMonthField(rng, start.y, start.m);
  f.education = text(weighted(rng, EDUCATION_RAW));
  if (chance(rng, 0.92)) {
    const title = pick(rng, trade.titles);
    f.professionalTitle = text(pick(rng, TITLE_ALIASES[title] ?? [title]));
  } else f.professionalTitle = chance(rng, 0.5) ? blank() : blank('无');
  if (chance(rng, 0.55)) {
    const area = pick(rng, trade.expertise).replace(/与.*$/, '');
    f.teamName = text(`${area}${pick(rng, TEAM_SUFFIX)}`);
    const size = int(rng, 2, 9);
    const raw = weighted(rng, [
      [`${size}人`, 4],
      [String(size), 3],
      [`${CN[size]}人`, 1],
      [`${size}名`, 1],
    ] as const);
    f.teamSize = { value: size, raw, confidence: 1 };
  } else {
    const none = pick(rng, ['', '', '无', '/']);
    f.teamName = blank(none);
    f.teamSize = blank(none === '' ? '' : pick(rng, ['', '无', '/']));
  }
  f.phone = phoneField(rng, 0.12);
  const dept = chance(rng, 0.7) ? pick(rng, trade.departments) : '';
  f.employerAndPosition = text(
    `${unit}${dept}${pick(rng, POSITIONS)}${chance(rng, 0.25) ? `、${pick(rng, POSITIONS)}` : ''}`,
  );
  f.expertise = text(prose(rng, trade, 'expertise', 40, 160));
  f.profile = chance(rng, 0.95) ? text(prose(rng, trade, 'profile')) : blank();
  f.plannedWork = chance(rng, 0.95) ? text(prose(rng, trade, 'plannedWork')) : blank();
  Object.assign(
    f,
    opinionGroup(rng, 'recommendation', {
      bank: RECOMMENDATION_OPINIONS,
      filled: 0.9,
      after: filled.ymd,
    }),
    opinionGroup(rng, 'approval', { bank: APPROVAL_OPINIONS, filled: 0.45, after: addDays(filled.ymd, 14) }),
  );
  return f;
}

const NEED_KEYS = [
  'needs.problems',
  'needs.teamTraining',
  'needs.rdPlatform',
  'needs.techTransfer',
  'needs.majorCooperation',
  'needs.urgentTalent',
] as const;

function demand(rng: Random, trade: Trade): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = {};
  const company = companyName(rng, trade);
  const filled = fillingDate(rng);
  f.fillingUnit = text(company);
  f.fillingDate = filled.field;
  f.companyName = text(chance(rng, 0.85) ? company : company.replace(/^(景德镇市|景德镇|江西省|江西)/, ''));
  const district = chance(rng, 0.8) ? pick(rng, trade.districts) : pick(rng, Object.keys(DISTRICT_RAW));
  f.district = text(pick(rng, DISTRICT_RAW[district] ?? [district]));
  const boss = personName(rng).name;
  f.legalRepresentative = text(boss);
  f.legalRepresentativePhone = phoneField(rng, 0.25);
  if (chance(rng, 0.25)) {
    f.contactPerson = text(boss);
    f.contactPhone = { ...(f.legalRepresentativePhone as FieldValue) };
  } else {
    f.contactPerson = text(personName(rng).name);
    f.contactPhone = phoneField(rng, 0.4);
  }
  f.mainProducts = text(
    pickSome(rng, trade.products, int(rng, 1, 3)).join(pick(rng, ['、', '、', '，', ' ', '；'])),
  );
  f.annualOutput = amountField(rng);
  f.techStatus = text(prose(rng, trade, 'techStatus'));
  // At least one need; the others filled more often than not.
  const first = pick(rng, NEED_KEYS);
  for (const key of NEED_KEYS) {
    const filledNeed = key === first || chance(rng, 0.7);
    f[key] = filledNeed ? text(prose(rng, trade, key, 40, 150)) : blank(pick(rng, ['', '', '', '无', '/']));
  }
  Object.assign(
    f,
    opinionGroup(rng, 'recommendation', { bank: DEMAND_RECOMMENDATIONS, filled: 0.85, after: filled.ymd }),
    opinionGroup(rng, 'approval', { bank: APPROVAL_OPINIONS, filled: 0.45, after: addDays(filled.ymd, 14) }),
  );
  return f;
}

const PROBLEM_TITLES = [
  '{product}{defect}控制技术',
  '{tech}关键技术研究',
  '{product}{process}工艺优化',
  '{equipment}智能化改造',
  '基于{tech}的{product}质量提升',
  '{product}{defect}问题攻关',
  '{tech}在{product}生产中的应用',
];

function problem(rng: Random, trade: Trade): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = {};
  const isCompany = chance(rng, 0.75);
  const unit = isCompany ? companyName(rng, trade) : recommendingUnit(rng, trade);
  const filled = fillingDate(rng);
  f.fillingUnit = text(unit);
  f.fillingDate = filled.field;
  f.title = text(fill(pick(rng, PROBLEM_TITLES), slots(rng, trade)));
  f.industry = text(pick(rng, trade.industry));
  f.contactPerson = text(personName(rng).name);
  f.contactPhone = phoneField(rng, 0.35);
  const district = pick(rng, trade.districts);
  f.address = chance(rng, 0.93)
    ? text(
        `${pick(rng, ['景德镇市', '江西省景德镇市', ''])}${district}${pick(rng, ROADS)}${int(rng, 1, 399)}号${chance(rng, 0.2) ? pick(rng, ['', '综合楼', '研发楼', 'A栋']) : ''}`,
      )
    : blank();
  f.description = text(
    chance(rng, 0.35) ? structuredDescription(rng, trade) : prose(rng, trade, 'description', 60, 220),
  );
  return f;
}

const BUILDERS: Record<FormKind, (rng: Random, trade: Trade) => Record<string, FieldValue>> = {
  registration,
  demand,
  problem,
};

/** Why a field's raw text does not give its value under the product's rules; undefined when it does. */
export function roundTripProblem(form: FormKind, key: string, field: FieldValue): string | undefined {
  const def = FORMS[form].fields.find((f) => f.key === key);
  if (!def) return `unknown field ${key}`;
  if (def.kind === 'stamp' || def.kind === 'photo') return undefined;
  const raw = field.raw ?? '';
  const parsed = normalizeField(def, raw, { referenceYear: 2020 });
  if (!parsed.ok) return `${key}: 「${raw}」 does not parse`;
  if (parsed.issues.length > 0)
    return `${key}: 「${raw}」 parses with ${parsed.issues.map((i) => i.code).join(', ')}`;
  if (parsed.value !== field.value)
    return `${key}: 「${raw}」 reads as ${JSON.stringify(parsed.value)}, not ${JSON.stringify(field.value)}`;
  return undefined;
}

/**
 * A fictional submission of `form`: every field of src/forms present, `raw` as printed, `value` in
 * its normal form, confidence 1. Fields whose raw text the product reads differently are drawn again
 * (a few tries), so every value round-trips.
 */
export function fictionalRecord(rng: Random, form: FormKind, id: string): SubmissionRecord {
  const trade = pick(rng, TRADES);
  const fields = BUILDERS[form](rng, trade);
  for (let attempt = 0; ; attempt++) {
    const problems = FORMS[form].fields
      .map((def) => {
        const fv = fields[def.key];
        return fv ? roundTripProblem(form, def.key, fv) : `${def.key} missing`;
      })
      .filter((p): p is string => p !== undefined);
    if (problems.length === 0) break;
    if (attempt >= 8) throw new Error(`${id}: values do not round-trip: ${problems.join('; ')}`);
    // Draw the offending fields again from a fresh record of the same trade.
    const again = BUILDERS[form](rng, trade);
    for (const p of problems) {
      const key = p.split(':')[0]?.replace(/ missing$/, '') ?? '';
      if (again[key]) fields[key] = again[key] as FieldValue;
    }
  }
  const ordered: Record<string, FieldValue> = {};
  for (const def of FORMS[form].fields) ordered[def.key] = fields[def.key] as FieldValue;
  return { id, form, sources: [{ file: `${id}.docx` }], fields: ordered, issues: [] };
}

export const TRADE_KEYS = TRADES.map((t) => t.key);
