/**
 * The small lists synthetic units are drawn from: districts, agencies (with their
 * duties, sections, function lines and project themes), economic classification
 * codes, and the 政府性基金 lines. Texts follow the kinds of text in the reference
 * unit (data/luolong-zwfwzx-2022.yaml); none of it describes a real budget.
 */

export interface District {
  name: string;
  /** 6-digit administrative division code, the first part of a 21-digit 项目编码. */
  areaCode: string;
}

/** Districts of 洛阳市, so names and project codes look like the reference's. */
export const DISTRICTS: readonly District[] = [
  { name: '洛龙区', areaCode: '410311' },
  { name: '西工区', areaCode: '410303' },
  { name: '老城区', areaCode: '410302' },
  { name: '涧西区', areaCode: '410305' },
  { name: '瀍河回族区', areaCode: '410304' },
  { name: '偃师区', areaCode: '410307' },
  { name: '孟津区', areaCode: '410308' },
];

export interface FunctionItem {
  code: string; // 7 digits
  name: string;
}

/** 行政单位 (civil service pay, 行政运行) or 事业单位 (绩效工资, 事业运行). */
export type AgencyKind = 'admin' | 'institution';

export interface Agency {
  /** Name without the district, e.g. 财政局. */
  name: string;
  kind: AgencyKind;
  /** Lines that carry basic spending (行政运行 / 事业运行); the first always does. */
  operation: readonly FunctionItem[];
  /** Further lines that carry project spending (一般行政管理事务, 专项业务…). */
  business: readonly FunctionItem[];
  /** The agency's own duties; common duties are appended. */
  duties: readonly string[];
  /** Sections (股室); the first is always kept. */
  composition: readonly string[];
  /** Project themes; project names are theme + activity. */
  subjects: readonly string[];
  /** Preferred 政府性基金 lines (codes in GOVERNMENT_FUND_LINES) when the unit has any. */
  governmentFund?: readonly string[];
}

export const AGENCIES: readonly Agency[] = [
  {
    name: '政务服务中心',
    kind: 'institution',
    operation: [{ code: '2010350', name: '事业运行' }],
    business: [{ code: '2010399', name: '其他政府办公厅（室）及相关机构事务支出' }],
    duties: [
      '贯彻执行上级有关政务服务体系建设、电子政务、大数据管理等方面的法律、法规和方针、政策；推进政务服务模式创新，配合做好“互联网+政务服务”、“放管服”改革以及政务服务标准化建设等工作。',
      '负责进驻窗口及工作人员的日常管理和监督考评工作，协调解决进厅事项办理中存在的问题，受理群众及企业对驻厅工作人员违规、违纪、违诺行为的投诉和处理。',
      '统筹负责政务服务事项进驻大厅工作，承担政务服务运行管理服务职责，为市民和企业提供“一站式”服务。',
      '负责全区110联动和网民诉求事项的受理交办、催办协调、转督办回访、归档统计等工作。',
      '负责全区信用体系建设工作部署的实施、协调和推进落实。',
    ],
    composition: ['综合办公室', '政务服务发展股', '110联动股', '基础建设股', '信用资源股'],
    subjects: ['政务服务大厅', '110联动', '电子监察平台', '智慧政务', '社会信用体系', '便民服务站'],
  },
  {
    name: '财政局',
    kind: 'admin',
    operation: [{ code: '2010601', name: '行政运行' }],
    business: [
      { code: '2010602', name: '一般行政管理事务' },
      { code: '2010607', name: '信息化建设' },
      { code: '2010699', name: '其他财政事务支出' },
    ],
    duties: [
      '贯彻执行国家财税方针政策和法律法规，拟订全区财政发展规划和财政政策并组织实施。',
      '负责编制年度区级预决算草案并组织执行，受区政府委托向区人民代表大会报告财政预算、执行和决算等情况。',
      '负责管理区级各项财政收支，组织实施国库集中收付制度，管理财政专户。',
      '负责政府采购监督管理和国有资产管理工作，推进全面实施预算绩效管理。',
      '负责政府债务管理，防范化解政府债务风险。',
    ],
    composition: ['办公室', '预算股', '国库股', '政府采购监督管理股', '绩效管理股', '债务管理股', '农业农村股'],
    subjects: ['预算管理一体化系统', '财政投资评审', '预算绩效评价', '政府采购监管', '财政票据管理', '国有资产清查'],
  },
  {
    name: '教育局',
    kind: 'admin',
    operation: [{ code: '2050101', name: '行政运行' }],
    business: [
      { code: '2050102', name: '一般行政管理事务' },
      { code: '2050199', name: '其他教育管理事务支出' },
    ],
    duties: [
      '贯彻执行国家、省、市有关教育工作的方针、政策和法律法规，拟订全区教育事业发展规划并组织实施。',
      '统筹管理全区各级各类教育，指导学校布局调整和办学条件改善工作。',
      '负责全区中小学教师队伍建设和教师资格认定工作。',
      '负责全区教育督导评估和学校安全稳定工作，指导学校开展校园安全教育。',
      '负责学生资助政策的落实和管理工作。',
    ],
    composition: ['办公室', '基础教育股', '人事股', '计划财务股', '教育督导室', '安全稳定股'],
    subjects: ['中小学校园安全', '教师继续教育', '学生资助管理', '教育督导评估', '智慧校园', '中考考务'],
  },
  {
    name: '民政局',
    kind: 'admin',
    operation: [{ code: '2080201', name: '行政运行' }],
    business: [
      { code: '2080202', name: '一般行政管理事务' },
      { code: '2080208', name: '基层政权建设和社区治理' },
      { code: '2080299', name: '其他民政管理事务支出' },
    ],
    duties: [
      '贯彻执行民政工作的方针、政策和法律法规，拟订全区民政事业发展规划并组织实施。',
      '负责全区社会救助工作，组织实施城乡最低生活保障、特困人员救助供养和临时救助。',
      '指导城乡社区治理体系建设，推动基层群众自治和社区服务工作。',
      '统筹推进全区养老服务体系建设，负责养老机构的监督管理。',
      '负责行政区划、地名管理、婚姻登记和殡葬管理工作。',
    ],
    composition: ['办公室', '社会救助股', '养老服务股', '基层政权和社区建设股', '区划地名股', '婚姻登记处'],
    subjects: ['社会救助核查', '社区治理', '婚姻登记服务', '地名标志', '养老机构监管', '殡葬改革'],
    governmentFund: ['2296002'],
  },
  {
    name: '人力资源和社会保障局',
    kind: 'admin',
    operation: [{ code: '2080101', name: '行政运行' }],
    business: [
      { code: '2080102', name: '一般行政管理事务' },
      { code: '2080199', name: '其他人力资源和社会保障管理事务支出' },
    ],
    duties: [
      '贯彻执行人力资源和社会保障工作的方针、政策和法律法规，拟订全区人力资源和社会保障事业发展规划。',
      '负责促进就业工作，统筹城乡就业发展和职业技能培训。',
      '统筹推进全区社会保险体系建设，组织实施养老、失业、工伤等社会保险政策。',
      '负责劳动保障监察和劳动人事争议调解仲裁工作，维护劳动者合法权益。',
      '负责机关事业单位人事管理和工资福利政策的组织实施。',
    ],
    composition: ['办公室', '就业促进股', '社会保险股', '劳动关系股', '事业单位人事管理股', '劳动保障监察大队'],
    subjects: ['劳动保障监察', '劳动人事争议仲裁', '职业技能培训', '高校毕业生就业见习', '社会保险待遇稽核'],
  },
  {
    name: '卫生健康委员会',
    kind: 'admin',
    operation: [{ code: '2100101', name: '行政运行' }],
    business: [
      { code: '2100102', name: '一般行政管理事务' },
      { code: '2100199', name: '其他卫生健康管理事务支出' },
    ],
    duties: [
      '贯彻执行卫生健康工作的方针、政策和法律法规，拟订全区卫生健康事业发展规划并组织实施。',
      '负责疾病预防控制工作，组织实施免疫规划和重大疾病防治。',
      '负责卫生应急工作，组织指导突发公共卫生事件的预防控制和医疗卫生救援。',
      '负责基层卫生健康服务体系建设，推进家庭医生签约服务。',
      '负责人口监测预警和计划生育服务工作。',
    ],
    composition: ['办公室', '医政医管股', '疾病预防控制股', '基层卫生股', '妇幼健康股', '卫生监督所'],
    subjects: ['基本公共卫生服务', '卫生应急', '家庭医生签约', '妇幼健康', '爱国卫生运动', '医疗机构监管'],
  },
  {
    name: '住房和城乡建设局',
    kind: 'admin',
    operation: [{ code: '2120101', name: '行政运行' }],
    business: [
      { code: '2120102', name: '一般行政管理事务' },
      { code: '2120199', name: '其他城乡社区管理事务支出' },
    ],
    duties: [
      '贯彻执行住房和城乡建设工作的方针、政策和法律法规，拟订全区城乡建设发展规划并组织实施。',
      '负责全区建筑市场和工程质量安全的监督管理。',
      '负责房地产市场监管和物业管理工作的指导。',
      '组织实施老旧小区改造和城市基础设施建设。',
      '负责保障性住房的建设和管理工作。',
    ],
    composition: ['办公室', '建筑市场管理股', '质量安全监督站', '房地产管理股', '城建股', '住房保障股'],
    subjects: ['建筑工地扬尘治理', '老旧小区改造', '物业管理', '工程质量安全监督', '住房保障', '城市体检'],
    governmentFund: ['2120803', '2121301'],
  },
  {
    name: '农业农村局',
    kind: 'admin',
    operation: [{ code: '2130101', name: '行政运行' }],
    business: [
      { code: '2130102', name: '一般行政管理事务' },
      { code: '2130106', name: '科技转化与推广服务' },
      { code: '2130108', name: '病虫害控制' },
    ],
    duties: [
      '贯彻执行农业农村工作的方针、政策和法律法规，拟订全区农业农村发展规划并组织实施。',
      '统筹推进乡村振兴战略实施，指导农村人居环境整治工作。',
      '负责种植业、畜牧业、渔业等农业各产业的监督管理。',
      '负责农产品质量安全监督管理和动植物疫病防控工作。',
      '负责农业科技推广和高标准农田建设工作。',
    ],
    composition: ['办公室', '农村经济股', '种植业股', '畜牧兽医股', '农产品质量安全股', '农田建设股'],
    subjects: ['高标准农田', '农产品质量检测', '动物疫病防控', '农村人居环境整治', '农业技术推广', '农作物病虫害防治'],
  },
  {
    name: '文化广电和旅游局',
    kind: 'admin',
    operation: [{ code: '2070101', name: '行政运行' }],
    business: [
      { code: '2070102', name: '一般行政管理事务' },
      { code: '2070199', name: '其他文化和旅游支出' },
    ],
    duties: [
      '贯彻执行文化、广电、旅游和文物工作的方针、政策和法律法规，拟订全区文化和旅游发展规划并组织实施。',
      '负责全区公共文化服务体系建设，指导群众文化活动。',
      '负责文化和旅游市场的行业监管，组织文化市场综合执法。',
      '负责文物保护和非物质文化遗产保护传承工作。',
      '统筹推进全区旅游资源开发和旅游宣传推广工作。',
    ],
    composition: ['办公室', '公共文化股', '文化市场管理股', '文物股', '旅游发展股'],
    subjects: ['公共文化服务', '非物质文化遗产保护', '文物安全巡查', '旅游宣传推广', '文化市场执法', '农家书屋'],
    governmentFund: ['2296003'],
  },
  {
    name: '市场监督管理局',
    kind: 'admin',
    operation: [
      { code: '2013801', name: '行政运行' },
      { code: '2013850', name: '事业运行' },
    ],
    business: [
      { code: '2013802', name: '一般行政管理事务' },
      { code: '2013804', name: '市场主体管理' },
      { code: '2013805', name: '市场秩序执法' },
    ],
    duties: [
      '贯彻执行市场监督管理的方针、政策和法律法规，负责全区市场综合监督管理。',
      '负责市场主体统一登记注册，推进“双随机、一公开”监管。',
      '负责食品安全监督管理，组织实施食品安全抽样检验。',
      '负责药品、医疗器械和化妆品的监督管理。',
      '负责特种设备安全监督管理和计量、标准化工作。',
    ],
    composition: ['办公室', '登记注册股', '食品安全监管股', '药品医疗器械监管股', '特种设备安全监察股', '综合执法大队'],
    subjects: ['食品安全抽检', '特种设备安全监察', '市场主体登记', '计量检定', '药品安全监管', '价格监督检查'],
  },
  {
    name: '应急管理局',
    kind: 'admin',
    operation: [{ code: '2240101', name: '行政运行' }],
    business: [
      { code: '2240102', name: '一般行政管理事务' },
      { code: '2240106', name: '安全监管' },
      { code: '2240199', name: '其他应急管理支出' },
    ],
    duties: [
      '贯彻执行应急管理和安全生产的方针、政策和法律法规，拟订全区应急管理和安全生产规划。',
      '负责全区安全生产综合监督管理和工贸行业安全生产监督管理。',
      '组织编制全区应急预案体系，指导应急演练和应急救援队伍建设。',
      '负责自然灾害综合防治和救灾物资储备管理工作。',
      '负责森林防火和防汛抗旱的组织协调工作。',
    ],
    composition: ['办公室', '安全生产综合股', '应急指挥股', '防汛抗旱股', '执法监察大队'],
    subjects: ['安全生产执法检查', '应急救援物资储备', '防汛抗旱', '应急演练', '森林防火', '危险化学品监管'],
  },
  {
    name: '统计局',
    kind: 'admin',
    operation: [{ code: '2010501', name: '行政运行' }],
    business: [
      { code: '2010502', name: '一般行政管理事务' },
      { code: '2010505', name: '专项统计业务' },
      { code: '2010507', name: '专项普查活动' },
    ],
    duties: [
      '贯彻执行统计工作的方针、政策和法律法规，组织实施全区统计调查。',
      '负责全区国民经济核算工作，收集、汇总和提供统计资料。',
      '组织实施全区经济普查、人口普查、农业普查等重大国情国力普查。',
      '负责统计执法检查，依法查处统计违法行为。',
    ],
    composition: ['办公室', '综合核算股', '工业交通股', '贸易服务业股', '统计执法队'],
    subjects: ['经济普查', '统计执法检查', '住户调查', '统计数据质量核查', '统计年鉴编印'],
  },
  {
    name: '审计局',
    kind: 'admin',
    operation: [{ code: '2010801', name: '行政运行' }],
    business: [
      { code: '2010802', name: '一般行政管理事务' },
      { code: '2010804', name: '审计业务' },
    ],
    duties: [
      '贯彻执行审计工作的方针、政策和法律法规，拟订全区审计工作规划并组织实施。',
      '负责对区级预算执行情况和其他财政收支情况进行审计监督。',
      '负责对政府投资建设项目的预算执行情况和决算进行审计。',
      '负责领导干部经济责任审计和自然资源资产离任审计。',
    ],
    composition: ['办公室', '财政审计股', '经济责任审计股', '投资审计股'],
    subjects: ['政府投资审计', '经济责任审计', '审计信息化', '专项资金审计'],
  },
  {
    name: '司法局',
    kind: 'admin',
    operation: [{ code: '2040601', name: '行政运行' }],
    business: [
      { code: '2040602', name: '一般行政管理事务' },
      { code: '2040604', name: '基层司法业务' },
      { code: '2040605', name: '普法宣传' },
      { code: '2040610', name: '社区矫正' },
    ],
    duties: [
      '贯彻执行全面依法治区的方针、政策和法律法规，统筹推进法治政府建设。',
      '负责全区普法宣传和依法治理工作，组织实施法治宣传教育规划。',
      '负责社区矫正和安置帮教工作的监督管理。',
      '指导人民调解工作和基层法律服务，推进公共法律服务体系建设。',
      '负责行政复议和行政应诉工作。',
    ],
    composition: ['办公室', '法治督察股', '普法与依法治理股', '社区矫正股', '人民参与和促进法治股', '行政复议股'],
    subjects: ['法治宣传教育', '人民调解', '社区矫正', '公共法律服务', '行政复议', '法律援助'],
  },
  {
    name: '退役军人事务局',
    kind: 'admin',
    operation: [
      { code: '2082801', name: '行政运行' },
      { code: '2082850', name: '事业运行' },
    ],
    business: [
      { code: '2082802', name: '一般行政管理事务' },
      { code: '2082899', name: '其他退役军人事务管理支出' },
    ],
    duties: [
      '贯彻执行退役军人工作的方针、政策和法律法规，拟订全区退役军人工作规划并组织实施。',
      '负责退役军人移交安置和就业创业扶持工作。',
      '负责退役军人和其他优抚对象的优待抚恤工作。',
      '负责烈士纪念设施的保护管理和褒扬纪念活动。',
    ],
    composition: ['办公室', '移交安置股', '就业创业股', '优抚股', '退役军人服务中心'],
    subjects: ['退役军人就业创业', '烈士纪念设施', '优抚对象服务', '双拥工作', '退役军人服务站'],
  },
  {
    name: '城市管理局',
    kind: 'admin',
    operation: [{ code: '2120101', name: '行政运行' }],
    business: [
      { code: '2120104', name: '城管执法' },
      { code: '2120501', name: '城乡社区环境卫生' },
    ],
    duties: [
      '贯彻执行城市管理的方针、政策和法律法规，拟订全区城市管理规划并组织实施。',
      '负责全区市容环境卫生和城市生活垃圾的监督管理。',
      '负责城市管理综合执法，查处违法建设和占道经营等行为。',
      '负责城市道路、路灯、绿化等市政设施的管护工作。',
    ],
    composition: ['办公室', '市容环卫股', '市政设施股', '综合执法大队', '园林绿化股'],
    subjects: ['市容环境整治', '生活垃圾分类', '城市照明设施', '违法建设治理', '数字城管', '公厕管护'],
    governmentFund: ['2121301', '2121401'],
  },
  {
    name: '就业服务中心',
    kind: 'institution',
    operation: [{ code: '2080111', name: '公共就业服务和职业技能鉴定机构' }],
    business: [{ code: '2080199', name: '其他人力资源和社会保障管理事务支出' }],
    duties: [
      '贯彻执行就业工作的方针、政策和法律法规，承担全区公共就业服务工作。',
      '负责就业失业登记、就业援助和就业困难人员帮扶工作。',
      '组织开展招聘活动，为用人单位和求职人员提供职业介绍服务。',
      '负责创业担保贷款的受理和创业培训工作。',
    ],
    composition: ['综合办公室', '就业服务股', '创业指导股', '职业培训股'],
    subjects: ['公共就业服务', '就业援助', '创业担保贷款', '人力资源市场', '招聘活动'],
  },
  {
    name: '疾病预防控制中心',
    kind: 'institution',
    operation: [{ code: '2100401', name: '疾病预防控制机构' }],
    business: [
      { code: '2100409', name: '重大公共卫生服务' },
      { code: '2100410', name: '突发公共卫生事件应急处理' },
    ],
    duties: [
      '贯彻执行疾病预防控制工作的方针、政策和法律法规，承担全区疾病预防控制工作。',
      '负责传染病疫情监测、报告和流行病学调查处置。',
      '负责免疫规划的组织实施和预防接种单位的技术指导。',
      '负责慢性病防治、健康教育和健康促进工作。',
      '承担突发公共卫生事件的应急处置技术工作。',
    ],
    composition: ['综合办公室', '传染病防治科', '免疫规划科', '慢性病防治科', '检验科', '健康教育科'],
    subjects: ['传染病监测', '免疫规划', '慢性病防治', '健康教育', '实验室检测', '病媒生物防制'],
  },
  {
    name: '农业技术推广中心',
    kind: 'institution',
    operation: [{ code: '2130104', name: '事业运行' }],
    business: [
      { code: '2130106', name: '科技转化与推广服务' },
      { code: '2130108', name: '病虫害控制' },
    ],
    duties: [
      '贯彻执行农业技术推广工作的方针、政策和法律法规，承担全区农业新技术、新品种的试验示范和推广。',
      '负责农作物病虫害监测预报和防治指导工作。',
      '负责耕地质量监测和测土配方施肥工作。',
      '组织开展农民技术培训和农业技术咨询服务。',
    ],
    composition: ['综合办公室', '技术推广股', '植物保护股', '土壤肥料股'],
    subjects: ['测土配方施肥', '耕地质量监测', '新品种试验示范', '病虫害监测预报', '农民技术培训'],
  },
];

/** Duties every unit ends with. */
export const COMMON_DUTIES: readonly string[] = [
  '负责本单位突发公共事件的应急管理工作，贯彻落实突发公共事件应急预案，预防和处置本单位的突发公共事件。',
  '完成上级交办的其他工作。',
];

/** Project themes any unit may have besides its own. */
export const COMMON_SUBJECTS: readonly string[] = [
  '机关办公楼', '档案管理', '党建工作', '网络安全', '政务信息公开', '安全生产', '保密工作', '疫情防控', '机关食堂', '办公自动化',
];

/** Lines every unit's basic personnel spending is spread over (the reference has the same). */
export const PERSONNEL_LINES = {
  pension: { code: '2080505', name: '机关事业单位基本养老保险缴费支出' },
  annuity: { code: '2080506', name: '机关事业单位职业年金缴费支出' },
  housing: { code: '2210201', name: '住房公积金' },
  union: { code: '2012906', name: '工会事务' },
  medical: {
    admin: { code: '2101101', name: '行政单位医疗' },
    institution: { code: '2101102', name: '事业单位医疗' },
  },
  retirees: {
    admin: { code: '2080501', name: '行政单位离退休' },
    institution: { code: '2080502', name: '事业单位离退休' },
  },
} as const;

export interface GovernmentFundLine extends FunctionItem {
  /** Themes of the projects this fund pays for. */
  subjects: readonly string[];
}

/** 政府性基金预算 function lines. */
export const GOVERNMENT_FUND_LINES: readonly GovernmentFundLine[] = [
  { code: '2296002', name: '用于社会福利的彩票公益金支出', subjects: ['社区养老服务站', '残疾人康复设施', '儿童福利设施'] },
  { code: '2296003', name: '用于体育事业的彩票公益金支出', subjects: ['全民健身器材', '社区健身场地', '群众体育赛事场地'] },
  { code: '2120803', name: '城市建设支出', subjects: ['市政道路', '老旧小区配套设施', '背街小巷'] },
  { code: '2121301', name: '城市公共设施', subjects: ['城市公共照明', '公共停车场', '口袋公园'] },
  { code: '2121401', name: '污水处理设施建设和运营', subjects: ['污水管网', '雨污分流'] },
];

export interface EconomicCode {
  name: string;
  /** 政府预算经济分类 for a 行政单位 and for a 事业单位 (the reference is a 事业单位). */
  gov: { admin: string; institution: string };
}

/**
 * 部门预算经济分类 款 used by synthetic units. Capital items of 行政单位 map to 506xx
 * because classification.ts knows no 503xx (机关资本性支出) codes.
 */
export const ECONOMIC_CODES = {
  '30101': { name: '基本工资', gov: { admin: '50101', institution: '50501' } },
  '30102': { name: '津贴补贴', gov: { admin: '50101', institution: '50501' } },
  '30103': { name: '奖金', gov: { admin: '50101', institution: '50501' } },
  '30107': { name: '绩效工资', gov: { admin: '50101', institution: '50501' } },
  '30108': { name: '机关事业单位基本养老保险缴费', gov: { admin: '50102', institution: '50501' } },
  '30109': { name: '职业年金缴费', gov: { admin: '50102', institution: '50501' } },
  '30110': { name: '职工基本医疗保险缴费', gov: { admin: '50102', institution: '50501' } },
  '30112': { name: '其他社会保障缴费', gov: { admin: '50102', institution: '50501' } },
  '30113': { name: '住房公积金', gov: { admin: '50103', institution: '50501' } },
  '30199': { name: '其他工资福利支出', gov: { admin: '50199', institution: '50501' } },
  '30201': { name: '办公费', gov: { admin: '50201', institution: '50502' } },
  '30202': { name: '印刷费', gov: { admin: '50201', institution: '50502' } },
  '30205': { name: '水费', gov: { admin: '50201', institution: '50502' } },
  '30206': { name: '电费', gov: { admin: '50201', institution: '50502' } },
  '30207': { name: '邮电费', gov: { admin: '50201', institution: '50502' } },
  '30211': { name: '差旅费', gov: { admin: '50201', institution: '50502' } },
  '30212': { name: '因公出国（境）费用', gov: { admin: '50207', institution: '50502' } },
  '30213': { name: '维修(护)费', gov: { admin: '50209', institution: '50502' } },
  '30214': { name: '租赁费', gov: { admin: '50201', institution: '50502' } },
  '30215': { name: '会议费', gov: { admin: '50202', institution: '50502' } },
  '30216': { name: '培训费', gov: { admin: '50203', institution: '50502' } },
  '30217': { name: '公务接待费', gov: { admin: '50206', institution: '50502' } },
  '30218': { name: '专用材料费', gov: { admin: '50204', institution: '50502' } },
  '30226': { name: '劳务费', gov: { admin: '50201', institution: '50502' } },
  '30227': { name: '委托业务费', gov: { admin: '50205', institution: '50502' } },
  '30228': { name: '工会经费', gov: { admin: '50299', institution: '50502' } },
  '30229': { name: '福利费', gov: { admin: '50299', institution: '50502' } },
  '30231': { name: '公务用车运行维护费', gov: { admin: '50208', institution: '50502' } },
  '30239': { name: '其他交通费用', gov: { admin: '50201', institution: '50502' } },
  '30299': { name: '其他商品和服务支出', gov: { admin: '50299', institution: '50502' } },
  '30302': { name: '退休费', gov: { admin: '50905', institution: '50905' } },
  '31002': { name: '办公设备购置', gov: { admin: '50601', institution: '50601' } },
  '31003': { name: '专用设备购置', gov: { admin: '50601', institution: '50601' } },
  '31005': { name: '基础设施建设', gov: { admin: '50601', institution: '50601' } },
  '31007': { name: '信息网络及软件购置更新', gov: { admin: '50601', institution: '50601' } },
  '31013': { name: '公务用车购置', gov: { admin: '50601', institution: '50601' } },
} as const satisfies Record<string, EconomicCode>;

export type EconomicCodeId = keyof typeof ECONOMIC_CODES;
