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
  '50501': '工资福利支出',
  '50502': '商品和服务支出',
  '50599': '其他对事业单位补助',
  '50601': '资本性支出（一）',
  '50602': '资本性支出（二）',
  '50901': '社会福利和救助',
  '50902': '助学金',
  '50903': '个人农业生产补贴',
  '50905': '离退休费',
  '50999': '其他对个人和家庭补助',
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
