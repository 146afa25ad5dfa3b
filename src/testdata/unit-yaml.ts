/**
 * Writes a synthetic unit as a data file laid out like the reference
 * (data/luolong-zwfwzx-2022.yaml): the same keys in the same order, short comments,
 * economic lines and indicators in flow style, codes quoted, amounts written from
 * their decimal text with two places.
 */
import type { Decimal } from 'decimal.js';
import type { IndicatorPair } from './activities.js';
import type { FunctionAmountKey, SynthUnit, ThreePublicAmounts } from './synth.js';

/** Scalars YAML would read as something other than a string (numbers, booleans, null). */
const NON_STRING = /^(?:[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0[xo][\da-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * A string as YAML text: plain when that reads back as the same string, else double-quoted
 * (JSON string syntax is valid YAML). In flow collections ([…], {…}) commas and brackets
 * also need quotes.
 */
/** The reference format, which every generated unit passes check in. */
export const DEFAULT_FORMAT = 'luoyang-2022';

export function yamlString(text: string, flow = false): string {
  const plain =
    text.length > 0 &&
    !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(text) &&
    !/\s$/.test(text) &&
    !/[:\t\n\r]| #/.test(text) &&
    !(flow && /[,[\]{}]/.test(text)) &&
    !NON_STRING.test(text);
  return plain ? text : JSON.stringify(text);
}

function code(c: string): string {
  return `"${c}"`;
}

/** 47.72, 5.00; zero as 0, as the reference writes empty 三公 items. */
function amount(v: Decimal): string {
  return v.isZero() ? '0' : v.toFixed(2);
}

function indicatorLine(pair: IndicatorPair): string {
  return `[${yamlString(pair[0], true)}, ${yamlString(pair[1], true)}]`;
}

const FUNCTION_KEY_COMMENTS: Record<FunctionAmountKey, string> = {
  wages: '工资福利支出',
  family_subsidy: '对个人和家庭的补助',
  goods_services: '商品和服务支出',
  capital: '资本性支出',
  project_operating: '项目支出·其他运转类',
  project_targeted: '项目支出·特定目标类',
};

function threePublicBlock(t: ThreePublicAmounts, indent: string, comments: boolean): string[] {
  const rows: [string, Decimal, string][] = [
    ['abroad', t.abroad, '因公出国（境）费'],
    ['reception', t.reception, '公务接待费'],
    ['vehicle_purchase', t.vehiclePurchase, '公务用车购置费'],
    ['vehicle_operation', t.vehicleOperation, '公务用车运行维护费'],
  ];
  return rows.map(([key, v, label]) => `${indent}${key}: ${amount(v)}${comments ? `    # ${label}` : ''}`);
}

/** The unit as a data file in `format` (a folder under templates/, or a path relative to where the file is written). */
export function unitYaml(u: SynthUnit, format = DEFAULT_FORMAT): string {
  const s = yamlString;
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  const unitLine = `${u.unit.name}（本级）`;

  push(
    `# ${u.year}年${unitLine}预算 — 合成测试数据`,
    '#',
    `# 由测试数据生成器（npm run gen，种子 ${u.seed}，第 ${u.index + 1} 个单位）按参考单位数据`,
    '# data/luolong-zwfwzx-2022.yaml 的结构生成。名称、编码和金额都是虚构的，不是真实预算。',
    '# 运行 `npx budget-pdf check 本文件` 检查数字是否前后一致。',
    '',
    `format: ${s(format)}`,
    `year: ${u.year}`,
    'amount_unit: 万元',
    '',
    'unit:',
    `  name: ${s(u.unit.name)}`,
    `  short_name: ${s(u.unit.shortName)}`,
    '  scope: 本级',
    `  code: ${code(u.unit.code)}`,
    '  department:',
    `    code: ${code(u.unit.department.code)}`,
    `    name: ${s(u.unit.department.name)}`,
    '  duties:',
    ...u.unit.duties.map((d) => `    - ${s(d)}`),
    '  composition:                # 预算单位构成（股室）',
    ...u.unit.composition.map((c) => `    - ${s(c)}`),
    '',
    '# 本年收入（按来源）',
    'income:',
    `  general_public: ${amount(u.income.generalPublic)}            # 一般公共预算`,
    `  general_public_appropriation: ${amount(u.income.generalPublic)}  # 其中：财政拨款`,
  );
  if (u.income.governmentFund) push(`  government_fund: ${amount(u.income.governmentFund)}            # 政府性基金预算拨款收入`);
  push(
    'carryover: {}',
    'year_end_carryover: 0.00            # 年终结转结余',
    '',
    `# 上年（${u.year - 1} 年）预算数，正文的增减比较用`,
    'prior_year:',
    `  total: ${amount(u.prior.total)}`,
    `  general_public: ${amount(u.prior.generalPublic)}`,
    `  government_fund: ${amount(u.prior.governmentFund)}`,
    '  three_public:',
    ...threePublicBlock(u.prior.threePublic, '    ', false),
    '',
    '# 增减变化的原因（正文引用）',
  );
  if (u.reasons.length === 0) push('reasons: {}');
  else push('reasons:', ...u.reasons.map(([key, text]) => `  ${key}: ${s(text)}`));

  push('', '# 支出功能分类（项级）。基本支出：人员经费 = wages + family_subsidy；公用经费 = goods_services + capital。', 'function_lines:');
  for (const line of u.functionLines) {
    push(`  - code: ${code(line.code)}`, `    name: ${s(line.name)}`);
    if (line.fund !== 'general_public') push(`    fund: ${line.fund}`);
    for (const [key, label] of Object.entries(FUNCTION_KEY_COMMENTS) as [FunctionAmountKey, string][]) {
      const v = line.amounts[key];
      if (v) push(`    ${key}: ${amount(v)}    # ${label}`);
    }
  }

  push('', '# 支出经济分类（款级）。basic = 基本支出，project = 项目支出；gov_code = 政府预算经济分类。', 'economic_lines:');
  for (const line of u.economicLines) {
    const fields = [`code: ${code(line.code)}`, `name: ${s(line.name, true)}`, `gov_code: ${code(line.govCode)}`];
    if (line.fund !== 'general_public') fields.push(`fund: ${line.fund}`);
    if (line.basic) fields.push(`basic: ${amount(line.basic)}`);
    if (line.project) fields.push(`project: ${amount(line.project)}`);
    push(`  - { ${fields.join(', ')} }`);
  }

  push(
    '',
    '# 一般公共预算“三公”经费',
    'three_public:',
    ...threePublicBlock(u.threePublic, '  ', true),
    '',
    'operating_costs:                    # 行政（事业）单位机构运行经费',
    `  amount: ${amount(u.operatingCosts)}`,
    '  note: 主要保障机构正常运转及正常履职需要所需支出，包含公用经费、公务交通补贴、工会经费、职工福利费等',
    '',
    'procurement:                        # 政府采购预算',
    `  goods: ${amount(u.procurement.goods)}`,
    `  works: ${amount(u.procurement.works)}`,
    `  services: ${amount(u.procurement.services)}`,
    '',
    'assets:                             # 上年末国有资产占用',
    '  vehicles:',
    `    general: ${u.assets.vehicles.general}                      # 一般公务用车`,
    `    law_enforcement: ${u.assets.vehicles.lawEnforcement}              # 一般执法执勤用车`,
    `    special: ${u.assets.vehicles.special}                      # 特种专业技术用车`,
    `    other: ${u.assets.vehicles.other}                        # 其他用车`,
    `  general_equipment_over_50: ${u.assets.generalEquipmentOver50}      # 单位价值 50 万元以上通用设备（套）`,
    `  special_equipment_over_100: ${u.assets.specialEquipmentOver100}     # 单位价值 100 万元以上专用设备（套）`,
    '',
    ...(u.specialTransfers.length === 0
      ? ['special_transfers: []']
      : ['special_transfers:                  # 负责管理的专项转移支付项目', ...u.specialTransfers.map((t) => `  - { name: ${t.name}, amount: ${amount(t.amount)} }`)]),
    '',
    '# 项目支出与绩效目标。type：其他运转类 / 特定目标类。指标每条为 [三级指标, 指标值]。',
    'projects:',
  );
  for (const p of u.projects) {
    push(`  - code: ${code(p.code)}`, `    name: ${s(p.name)}`, `    type: ${p.type}`);
    if (p.fund !== 'general_public') push(`    fund: ${p.fund}`);
    push(`    amount: ${amount(p.amount)}`, '    performance:', `      funding: { government: ${amount(p.amount)} }`);
    for (const kind of ['cost', 'output', 'benefit', 'satisfaction'] as const) {
      const list = p.indicators[kind];
      if (list.length === 0) continue;
      push(`      ${kind}:`, ...list.map((pair) => `        - ${indicatorLine(pair)}`));
    }
  }
  return `${out.join('\n')}\n`;
}
