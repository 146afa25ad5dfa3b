/**
 * Kinds of project a synthetic unit runs (运行维护, 设备购置, 劳务派遣…): the name
 * suffix, the 经济分类 its money is booked to, and its 绩效目标 indicators, built
 * like the reference's from the project's theme and amount. Every 成本指标 cap is
 * at most the project amount, so perf.cost-cap holds.
 */
import { Decimal } from 'decimal.js';
import { plain } from '../budget/decimal.js';
import type { EconomicCodeId } from './catalog.js';
import type { Prng } from './prng.js';

/** [三级指标, 指标值] */
export type IndicatorPair = readonly [string, string];

export interface Indicators {
  cost: IndicatorPair[];
  output: IndicatorPair[];
  benefit: IndicatorPair[];
  satisfaction: IndicatorPair[];
}

export interface BuiltProject {
  amount: Decimal;
  indicators: Indicators;
}

export interface Activity {
  /** Project name = theme + suffix. */
  suffix: string;
  /** 部门预算经济分类 the project's money is booked to (one or two of these). */
  economic: readonly EconomicCodeId[];
  /** Chance in percent that such a project is 特定目标类 (when the unit has any). */
  targetedPercent: number;
  build(rng: Prng, subject: string, year: number): BuiltProject;
}

/** A 万元 cap as the reference writes it: ≤47.72万元, ≤5万元. */
function capWan(amount: Decimal): string {
  return `≤${plain(amount)}万元`;
}

function atLeastPercent(rng: Prng, lo: number, hi: number): string {
  return `≥${rng.int(lo, hi)}%`;
}

/** A project amount in 万元: mostly small, sometimes large, as in a district budget. */
export function drawProjectAmount(rng: Prng): Decimal {
  const [lo, hi] = rng.weighted<readonly [number, number]>([
    [[100, 1000], 35],
    [[1000, 6000], 40],
    [[6000, 20000], 20],
    [[20000, 80000], 5],
  ]);
  return rng.amount(lo, hi);
}

/** One cap for the whole amount, or (sometimes) two caps that add up to it. */
function costCaps(rng: Prng, amount: Decimal, whole: string, parts: readonly [string, string]): IndicatorPair[] {
  if (amount.lessThan(2) || !rng.chance(25)) return [[whole, capWan(amount)]];
  const first = amount.times(rng.int(55, 90)).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_DOWN);
  return [
    [parts[0], capWan(first)],
    [parts[1], capWan(amount.minus(first))],
  ];
}

function simple(
  suffix: string,
  economic: readonly EconomicCodeId[],
  targetedPercent: number,
  indicators: (rng: Prng, subject: string, amount: Decimal, year: number) => Indicators,
): Activity {
  return {
    suffix,
    economic,
    targetedPercent,
    build(rng, subject, year) {
      const amount = drawProjectAmount(rng);
      return { amount, indicators: indicators(rng, subject, amount, year) };
    },
  };
}

/** Activities of 一般公共预算 projects. */
export const ACTIVITIES: readonly Activity[] = [
  simple('运行维护', ['30213', '30299'], 5, (rng, s, a) => ({
    cost: costCaps(rng, a, `${s}运行维护费用控制`, ['设备维护及耗材费用控制', '网络通信费用控制']),
    output: [
      [`维护${s}设备（系统）数量`, `${rng.int(3, 40)}台（套）`],
      [`确保${s}正常运行时间`, '12个月'],
      ['故障响应及时率', atLeastPercent(rng, 95, 99)],
    ],
    benefit: [
      [`保障${s}稳定运行`, '持续稳定'],
      ['注重绿色环保', '倡导节约办公'],
    ],
    satisfaction: [['服务对象满意度', atLeastPercent(rng, 90, 98)]],
  })),
  simple('设备购置', ['31002', '31003'], 60, (rng, s, a, year) => ({
    cost: [[`${s}设备购置成本控制`, capWan(a)]],
    output: [
      ['购置设备数量', `${rng.int(2, 60)}台（套）`],
      ['设备验收合格率', '100%'],
      ['采购完成时间', `${year}年${rng.int(3, 11)}月`],
    ],
    benefit: [[`提升${s}工作保障能力`, '明显提升']],
    satisfaction: [['设备使用人员满意度', atLeastPercent(rng, 92, 98)]],
  })),
  simple('宣传印刷', ['30202', '30299'], 5, (rng, s, a) => ({
    cost: costCaps(rng, a, `${s}宣传资料印制费用控制`, ['宣传资料印制费用', '宣传活动组织费用']),
    output: [
      ['印制宣传资料', `≥${rng.int(10, 200) * 100}份`],
      ['开展集中宣传活动', `≥${rng.int(2, 24)}场`],
      ['资料印制质量合格率', '100%'],
    ],
    benefit: [[`群众对${s}政策知晓率`, atLeastPercent(rng, 85, 95)]],
    satisfaction: [['群众满意度', atLeastPercent(rng, 90, 98)]],
  })),
  {
    suffix: '劳务派遣人员经费',
    economic: ['30226'],
    targetedPercent: 0,
    build(rng, s) {
      // The amount follows from head count and monthly cost, as in the reference's 劳务派遣费.
      const people = rng.int(2, 60);
      const monthly = rng.int(2800, 5200);
      const amount = new Decimal(people * monthly * 12).dividedBy(10000).toDecimalPlaces(2, Decimal.ROUND_DOWN);
      return {
        amount,
        indicators: {
          cost: [
            ['工资及社保的人均支出成本每月控制', `≤${monthly}元`],
            ['工资及社保全年支出控制在', capWan(amount)],
          ],
          output: [
            ['劳务派遣人员数量', `${people}人`],
            ['工资及社保足额支付完成率', '100%'],
            ['工资及社保足额发放及时率', '100%'],
          ],
          benefit: [[`保障${s}工作正常开展`, '有效保障']],
          satisfaction: [['劳务派遣人员满意度', atLeastPercent(rng, 90, 99)]],
        },
      };
    },
  },
  simple('第三方服务', ['30227'], 20, (rng, s, a, year) => ({
    cost: [[`${s}委托服务费用控制`, capWan(a)]],
    output: [
      ['委托服务事项', `${rng.int(1, 12)}项`],
      ['服务成果验收合格率', '100%'],
      ['服务完成时限', `${year}年12月底前`],
    ],
    benefit: [[`提升${s}专业化水平`, '持续提升']],
    satisfaction: [['委托单位满意度', atLeastPercent(rng, 90, 98)]],
  })),
  simple('专项工作经费', ['30201', '30211', '30299'], 10, (rng, s, a) => ({
    cost: costCaps(rng, a, `${s}专项工作经费控制`, [`${s}工作经费`, '宣传及办公耗材经费']),
    output: [
      ['开展专项检查（督查）', `≥${rng.int(4, 48)}次`],
      ['发现问题整改完成率', atLeastPercent(rng, 90, 99)],
      ['项目时效', '12个月'],
    ],
    benefit: [[`${s}工作水平`, '稳步提高']],
    satisfaction: [['群众满意度', atLeastPercent(rng, 90, 98)]],
  })),
  {
    suffix: '业务培训',
    economic: ['30216', '30211'],
    targetedPercent: 5,
    build(rng, s) {
      const amount = drawProjectAmount(rng);
      const trainees = rng.int(30, 600);
      const perHead = amount.times(10000).dividedBy(trainees).ceil();
      return {
        amount,
        indicators: {
          cost: [
            [`${s}培训经费控制`, capWan(amount)],
            ['人均培训成本', `≤${perHead.toFixed(0)}元`],
          ],
          output: [
            ['培训人次', `≥${trainees}人次`],
            ['培训期数', `${rng.int(1, 12)}期`],
            ['培训考核合格率', atLeastPercent(rng, 90, 98)],
          ],
          benefit: [['干部职工业务能力', '明显提升']],
          satisfaction: [['参训人员满意度', atLeastPercent(rng, 90, 98)]],
        },
      };
    },
  },
  simple('信息化建设', ['31007', '30227'], 60, (rng, s, a, year) => ({
    cost: [[`${s}信息化建设成本控制`, capWan(a)]],
    output: [
      ['建设功能模块', `${rng.int(2, 15)}个`],
      ['系统验收合格率', '100%'],
      ['项目完成时间', `${year}年${rng.int(6, 12)}月`],
    ],
    benefit: [
      [`提升${s}信息化水平`, '显著提升'],
      ['注重绿色环保', '业务线上办理，倡导节约办公'],
    ],
    satisfaction: [['使用单位满意度', atLeastPercent(rng, 90, 98)]],
  })),
  simple('场地租赁', ['30214'], 5, (rng, s, a) => ({
    cost: [[`${s}场地租赁费用控制`, capWan(a)]],
    output: [
      ['租赁面积', `${rng.int(100, 3000)}平方米`],
      ['租赁期限', '12个月'],
    ],
    benefit: [[`保障${s}工作场所需要`, '有效保障']],
    satisfaction: [['工作人员满意度', atLeastPercent(rng, 90, 98)]],
  })),
  simple('维修改造', ['30213'], 50, (rng, s, a) => ({
    cost: [['维修改造成本', capWan(a)]],
    output: [
      ['维修改造面积', `≥${rng.int(50, 3000)}平方米`],
      ['维修改造质量合格率', '100%'],
      ['维修改造工期', `${rng.int(15, 120)}天`],
    ],
    benefit: [[`改善${s}工作环境`, '效果明显']],
    satisfaction: [
      ['工作人员满意度', atLeastPercent(rng, 92, 98)],
      ['办事群众满意度', `>${rng.int(90, 98)}%`],
    ],
  })),
  simple('值班值守经费', ['30299', '30226'], 0, (rng, s, a) => ({
    cost: [['按相关规定支付值班费', capWan(a)]],
    output: [
      [`参与${s}值班带班人数`, `≥${rng.int(5, 60)}人`],
      ['值班人员按时到岗率', '100%'],
    ],
    benefit: [['突发事件处置及时率', '100%']],
    satisfaction: [['群众满意度', atLeastPercent(rng, 92, 99)]],
  })),
];

/** A 政府性基金 project amount: larger works. */
function drawFundAmount(rng: Prng): Decimal {
  return rng.amount(5000, 100000);
}

function fundActivity(
  suffix: string,
  economic: readonly EconomicCodeId[],
  indicators: (rng: Prng, subject: string, amount: Decimal, year: number) => Indicators,
): Activity {
  return {
    suffix,
    economic,
    targetedPercent: 100,
    build(rng, subject, year) {
      const amount = drawFundAmount(rng);
      return { amount, indicators: indicators(rng, subject, amount, year) };
    },
  };
}

/** Activities of 政府性基金 projects (always 特定目标类). */
export const FUND_ACTIVITIES: readonly Activity[] = [
  fundActivity('建设工程', ['31005'], (rng, s, a, year) => ({
    cost: [['工程建设成本控制', capWan(a)]],
    output: [
      [`${s}建设数量`, `${rng.int(1, 20)}处`],
      ['工程验收合格率', '100%'],
      ['工程完工时间', `${year}年${rng.int(8, 12)}月`],
    ],
    benefit: [
      ['改善群众生产生活条件', '明显改善'],
      ['工程设计使用年限', `≥${rng.int(10, 30)}年`],
    ],
    satisfaction: [['受益群众满意度', atLeastPercent(rng, 90, 98)]],
  })),
  fundActivity('提升改造', ['30213', '31005'], (rng, s, a) => ({
    cost: [[`${s}提升改造成本控制`, capWan(a)]],
    output: [
      ['提升改造面积', `≥${rng.int(500, 20000)}平方米`],
      ['改造质量合格率', '100%'],
      ['改造工期', `${rng.int(30, 180)}天`],
    ],
    benefit: [[`${s}使用效果`, '明显改善']],
    satisfaction: [['周边群众满意度', atLeastPercent(rng, 90, 98)]],
  })),
  fundActivity('购置安装', ['31003'], (rng, s, a, year) => ({
    cost: [[`${s}购置安装成本控制`, capWan(a)]],
    output: [
      ['配置设施数量', `${rng.int(10, 300)}套`],
      ['设施验收合格率', '100%'],
      ['配置完成时间', `${year}年${rng.int(5, 11)}月`],
    ],
    benefit: [['惠及群众', `≥${rng.int(1, 50) * 1000}人`]],
    satisfaction: [['受益群众满意度', atLeastPercent(rng, 90, 98)]],
  })),
];

/** The 公务用车购置 project that carries the 三公 vehicle purchase (经济分类 31013). */
export function vehiclePurchaseProject(rng: Prng, year: number): BuiltProject & { vehicles: number } {
  const vehicles = rng.int(1, 2);
  const amount = Decimal.sum(...Array.from({ length: vehicles }, () => rng.amount(1200, 1800)));
  return {
    amount,
    vehicles,
    indicators: {
      cost: [['公务用车购置成本控制', capWan(amount)]],
      output: [
        ['购置公务用车数量', `${vehicles}辆`],
        ['车辆购置标准符合率', '100%'],
        ['购置完成时间', `${year}年${rng.int(4, 10)}月`],
      ],
      benefit: [['保障公务出行需要', '有效保障']],
      satisfaction: [['使用人员满意度', atLeastPercent(rng, 92, 98)]],
    },
  };
}
