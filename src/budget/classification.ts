/**
 * National budget classification names that every unit shares (政府收支分类科目).
 * Units enter codes; names the unit does not enter come from here.
 */

/** 政府预算支出经济分类 (类 3 + 款 2 digits). */
export const GOV_ECONOMIC_NAMES: Readonly<Record<string, string>> = {
  '50101': '工资奖金津补贴',
  '50102': '社会保障缴费',
  '50103': '住房公积金',
  '50199': '其他工资福利支出',
  '50201': '办公经费',
  '50202': '会议费',
  '50203': '培训费',
  '50204': '专用材料购置费',
  '50205': '委托业务费',
  '50206': '公务接待费',
  '50207': '因公出国（境）费用',
  '50208': '公务用车运行维护费',
  '50209': '维修（护）费',
  '50299': '其他商品和服务支出',
  '50301': '房屋建筑物购建',
  '50302': '基础设施建设',
  '50303': '公务用车购置',
  '50305': '土地征迁补偿和安置支出',
  '50306': '设备购置',
  '50307': '大型修缮',
  '50399': '其他资本性支出',
  '50401': '房屋建筑物购建',
  '50402': '基础设施建设',
  '50403': '公务用车购置',
  '50404': '设备购置',
  '50405': '大型修缮',
  '50499': '其他资本性支出',
  '50501': '工资福利支出',
  '50502': '商品和服务支出',
  '50599': '其他对事业单位补助',
  '50601': '资本性支出（一）',
  '50602': '资本性支出（二）',
  '50701': '费用补贴',
  '50702': '利息补贴',
  '50799': '其他对企业补助',
  '50801': '对企业资本性支出（一）',
  '50802': '对企业资本性支出（二）',
  '50901': '社会福利和救助',
  '50902': '助学金',
  '50903': '个人农业生产补贴',
  '50905': '离退休费',
  '50999': '其他对个人和家庭补助',
  '51002': '对社会保险基金补助',
  '51003': '补充全国社会保障基金',
  '51101': '国内债务付息',
  '51102': '国外债务付息',
  '51103': '国内债务发行费用',
  '51104': '国外债务发行费用',
  '59906': '赠与',
  '59907': '国家赔偿费用支出',
  '59908': '对民间非营利组织和群众性自治组织补贴',
  '59999': '其他支出',
};

/** 支出功能分类 类 names (code → name), 2022. */
export const FUNCTION_CLASS_NAMES: Readonly<Record<string, string>> = {
  '201': '一般公共服务',
  '202': '外交',
  '203': '国防',
  '204': '公共安全',
  '205': '教育',
  '206': '科学技术',
  '207': '文化旅游体育与传媒',
  '208': '社会保障和就业',
  '209': '社会保险基金支出',
  '210': '卫生健康',
  '211': '节能环保',
  '212': '城乡社区事务',
  '213': '农林水事务',
  '214': '交通运输',
  '215': '资源勘探信息等',
  '216': '商业服务业等',
  '217': '金融支出',
  '219': '援助其他地区支出',
  '220': '自然资源海洋气象等支出',
  '221': '住房保障支出',
  '222': '粮油物资储备支出',
  '223': '国有资本经营预算',
  '224': '灾害防治及应急管理',
  '227': '预备费',
  '229': '其他支出',
  '230': '转移性支出',
  '231': '债务还本支出',
  '232': '债务付息支出',
  '233': '债务发行费用支出',
  '234': '抗疫特别国债安排的支出',
};

/** A 功能分类 类 as spending is named in texts and tables: 一般公共服务支出, 住房保障支出, 预备费. */
export function functionClassSpending(code: string): string {
  const name = FUNCTION_CLASS_NAMES[code];
  if (name === undefined) return '';
  return name.endsWith('支出') || name === '预备费' ? name : `${name}支出`;
}

/** 部门预算支出经济分类 类 (code → name), 2022. */
export const ECONOMIC_CLASS_NAMES: Readonly<Record<string, string>> = {
  '301': '工资福利支出',
  '302': '商品和服务支出',
  '303': '对个人和家庭的补助',
  '307': '债务利息及费用支出',
  '309': '资本性支出（基本建设）',
  '310': '资本性支出',
  '311': '对企业补助（基本建设）',
  '312': '对企业补助',
  '313': '对社会保障基金补助',
  '399': '其他支出',
};

/**
 * The 政府预算经济分类 each 部门预算经济分类 类 may be booked to, as code prefixes (a 类, or a single
 * 款): 机关 book to their own 类 (501 工资福利, 502 商品和服务, 503/504 资本性), 事业单位 to the
 * 补助 款 of the same nature (50501, 50502, 506). Deliberately by 类, not 款 by 款: local 对照表
 * differ at 款 level (31002 办公设备购置 → 50306 or 50601), never across 类.
 */
export const GOV_ECONOMIC_FOR_CLASS: Readonly<Record<string, readonly string[]>> = {
  '301': ['501', '50501'], // 工资福利支出 → 机关工资福利支出 / 对事业单位经常性补助·工资福利支出
  '302': ['502', '50502'], // 商品和服务支出 → 机关商品和服务支出 / 对事业单位经常性补助·商品和服务支出
  '303': ['509'], // 对个人和家庭的补助
  '307': ['511'], // 债务利息及费用支出
  '309': ['503', '504', '506'], // 资本性支出（基本建设）→ 机关资本性支出 / 对事业单位资本性补助
  '310': ['503', '504', '506'], // 资本性支出
  '311': ['507', '508'], // 对企业补助（基本建设）→ 对企业补助 / 对企业资本性支出
  '312': ['507', '508'], // 对企业补助
  '313': ['510'], // 对社会保障基金补助
  '399': ['599'], // 其他支出
};

/**
 * The four columns a function line splits its 基本支出 into, and the 部门预算经济分类 类 each
 * column holds: the function tables and the economic tables must agree column by column.
 */
export const BASIC_COLUMN_CLASSES = {
  wages: ['301'], // 工资福利支出
  familySubsidy: ['303'], // 对个人和家庭的补助
  goodsServices: ['302'], // 商品和服务支出
  capital: ['309', '310'], // 资本性支出
} as const satisfies Record<string, readonly string[]>;

/** 类 that count as 人员经费 in 基本支出 (工资福利 + 对个人和家庭的补助); every other 类 counts as 公用经费. */
export const PERSONNEL_ECONOMIC_CLASSES: ReadonlySet<string> = new Set<string>([
  ...BASIC_COLUMN_CLASSES.wages,
  ...BASIC_COLUMN_CLASSES.familySubsidy,
]);

/** 部门预算经济分类 款 that 三公 items are booked to: the 三公 table and the economic lines must agree. */
export const THREE_PUBLIC_ECONOMIC_CODES = {
  abroad: '30212', // 因公出国（境）费用
  reception: '30217', // 公务接待费
  vehicleOperation: '30231', // 公务用车运行维护费
  vehiclePurchase: '31013', // 公务用车购置
} as const;
