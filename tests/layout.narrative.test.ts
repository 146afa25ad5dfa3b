import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBudget } from '../src/budget/load.js';
import { REASON_KEYS, type Budget } from '../src/budget/model.js';
import { loadTemplateSet, overridableTextIds } from '../src/layout/template-set.js';
import { narrativeContext } from '../src/layout/narrative.js';
import { TEXT_HELPERS } from '../src/layout/text-helpers.js';
import { sharesPercent } from '../src/budget/decimal.js';

const REFERENCE = 'data/luolong-zwfwzx-2022.yaml';

function reference(): Budget {
  const loaded = loadBudget(REFERENCE);
  if (!loaded.budget) throw new Error('reference data did not load');
  return loaded.budget;
}

function text(budget: Budget, id: string): string {
  return loadTemplateSet(budget.format).narrative.paragraphs(id, narrativeContext(budget)).join('\n');
}

describe('narrative texts quote derived figures', () => {
  it('states totals, the change against the prior year and its reasons as the reference does', () => {
    expect(text(reference(), 'overview')).toBe(
      '区政务服务中心2022年收入总计866.01万元，支出总计866.01万元，与2021年预算相比，收入增加104.04万元，增长14%。' +
        '主要原因：一是正常增人增资增加人员支出预算；二是建设区级电子监察平台及扩容政务服务实体大厅等专项支出预算增加；' +
        '支出增加104.04万元，增长14%。主要原因：一是正常增人增资增加人员支出；二是建设区级电子监察平台及扩容政务服务实体大厅等专项支出增加。',
    );
  });

  it('quotes the 一般公共预算 income from the data, not the reference narrative slip of 817.58', () => {
    const income = text(reference(), 'income');
    expect(income).toContain('一般公共预算866.01万元');
    expect(income).not.toContain('817.58');
  });

  it('words a decrease as 减少 … 下降 …', () => {
    const b = reference();
    b.priorYear.total = new Decimal('900.00');
    expect(text(b, 'overview')).toContain('收入减少33.99万元，下降4%');
  });

  it('shares add up to 100 and are rounded half-up', () => {
    expect(text(reference(), 'expense')).toContain('基本支出245.23万元，占28%；项目支出620.78万元，占72%');
    expect(text(reference(), 'general-public-basic')).toContain('人员经费支出231.55万元，占94%；公用经费支出13.68万元，占6%');
  });

  it('names every source of income, and counts only fiscal carryover as 财政性结转资金', () => {
    const b = reference();
    b.income.higher_subsidy = new Decimal('10.00');
    b.income.special_account = new Decimal('3.00');
    b.carryover.general_public = new Decimal('45.00');
    b.carryover.unit_funds = new Decimal('5.00');
    const t = text(b, 'income');
    expect(t).toContain('收入合计929.01万元，其中：一般公共预算866.01万元；财政专户管理资金收入3万元；事业收入0万元；' +
      '上级补助收入10万元；财政性结转资金45万元；其他结转资金5万元。');
    expect(text(reference(), 'income')).toBe('区政务服务中心2022年收入合计866.01万元，其中：一般公共预算866.01万元；事业收入0万元；财政性结转资金0万元。');
  });

  it('gives a share or a change that whole percent would show as 0% with the decimals it needs', () => {
    expect(sharesPercent([new Decimal('300.00'), new Decimal('1.00')])).toEqual([99.7, 0.3]);
    expect(sharesPercent([new Decimal('9999.00'), new Decimal('1.00')])).toEqual([99.99, 0.01]);
    expect(sharesPercent([new Decimal('245.23'), new Decimal('620.78')])).toEqual([28, 72]);
    expect(sharesPercent([new Decimal('1.00'), null])).toEqual([100, 0]); // nothing to show: whole
    const b = reference();
    b.priorYear.total = new Decimal('867.01');
    expect(text(b, 'overview')).toContain('收入减少1万元，下降0.1%');
    b.priorYear.total = new Decimal('1000866.01');
    expect(text(b, 'overview')).toContain('收入减少1000000万元，下降99.9%');
    b.priorYear.total = new Decimal('8660100.00');
    expect(text(b, 'overview')).toContain('下降99.99%');
    b.priorYear.total = new Decimal('866.00');
    expect(text(b, 'overview')).toContain('收入增加0.01万元，增长不足0.01%');
  });

  it('compares each 三公 item with the prior year and gives the reason for a change', () => {
    const t = text(reference(), 'three-public');
    expect(t).toContain('“三公”经费支出预算为1.5万元。2022年“三公”经费支出预算数比2021年增加0.3万元。');
    expect(t).toContain('公务用车运行维护费预算数比2021年增加0.3万元，主要原因：车辆使用年限增加，维修费用增加。');
    expect(t).toContain('公务用车购置费预算数与2021年保持一致。');
    const b = reference();
    b.priorYear.threePublic = { ...b.priorYear.threePublic!, vehicleOperation: new Decimal('1.50') };
    expect(text(b, 'three-public')).toContain('“三公”经费支出预算数与2021年持平。');
  });

  it('keeps < and > as written (no HTML escaping) and lets a unit override standard text', () => {
    const b = reference();
    b.texts = { glossary: '一、自定义名词：<不转义> & {{不是模板}}。' };
    expect(text(b, 'glossary')).toBe('一、自定义名词：<不转义> & {{不是模板}}。');
  });

  it('says there is nothing when a fund has no spending', () => {
    expect(text(reference(), 'government-fund')).toBe('区政务服务中心2022年无政府性基金预算拨款安排的支出。');
    expect(text(reference(), 'special-transfers')).toBe('区政务服务中心2022年无负责管理的专项转移支付项目。');
  });
});

describe('the keys a unit writes under reasons: and texts:', () => {
  const set = loadTemplateSet('luoyang-2022');
  const textDir = join(set.dir, 'text');
  const sources = readdirSync(textDir).filter((f) => f.endsWith('.hbs')).map((f) => readFileSync(join(textDir, f), 'utf8'));

  it('reasons: the schema accepts exactly the keys the templates quote', () => {
    const quoted = new Set(sources.flatMap((src) => [...src.matchAll(/reasons\.(\w+)/g)].map((m) => m[1])));
    expect([...quoted].sort()).toEqual([...REASON_KEYS].sort());
  });

  it('texts: every text template of the format can be overridden by its name, and every table note', () => {
    expect(overridableTextIds(set)).toEqual(expect.arrayContaining(['glossary', 'overview', 'three-public', 'duties']));
    expect(overridableTextIds(set).filter((id) => !id.includes('.'))).toHaveLength(sources.length);
    expect(overridableTextIds(set).filter((id) => id.includes('.'))).toEqual([
      '08-three-public.emptyNote', '08-three-public.footnote', '09-government-fund.emptyNote', '10-state-capital.emptyNote',
      '11-projects.emptyNote', '12-performance.emptyNote',
    ]);
  });

  it('the reference passes check with the format\'s ids', () => {
    const loaded = loadBudget(REFERENCE, { textIds: () => overridableTextIds(set) });
    expect(loaded.findings).toEqual([]);
  });
});

describe('the helpers texts may call', () => {
  it('are described, every one of them and no other, for template authors', () => {
    const registered = loadTemplateSet('luoyang-2022').narrative.helperNames();
    expect([...registered].sort()).toEqual(Object.keys(TEXT_HELPERS).sort());
  });
});

describe('texts in the data\'s amount unit (amount_unit: 元)', () => {
  function inYuan(): Budget {
    const b = reference();
    b.amountUnit = '元';
    return b;
  }

  it('say 元 after every amount, the helpers\' own words included', () => {
    // Before, the texts wrote a literal 万元 after every figure: 866.01元 printed as 866.01万元.
    const overview = text(inYuan(), 'overview');
    expect(overview).toContain('收入总计866.01元，支出总计866.01元');
    expect(overview).toContain('收入增加104.04元，增长14%');
    const three = text(inYuan(), 'three-public');
    expect(three).toContain('公务用车运行维护费预算数比2021年增加0.3元');
    const b = inYuan();
    b.priorYear.threePublic = null;
    expect(text(b, 'three-public')).toContain('预算数为0元');
    for (const id of loadTemplateSet('luoyang-2022').narrative.ids()) {
      expect(text(inYuan(), id).replace(/单位价值\d+万元以上/g, ''), id).not.toContain('万元');
    }
  });

  it('the reference in 万元 reads as before', () => {
    expect(text(reference(), 'three-public')).toContain('“三公”经费支出预算为1.5万元。');
  });

  it('a format that writes {{wan x}}万元 is refused for data in 元, at the file and line', () => {
    // The second test format, with its overview written the old way: {{wan …}}万元.
    const dir = mkdtempSync(join(tmpdir(), 'amount-unit-'));
    cpSync(join(process.cwd(), 'tests/fixtures/formats/other-city-2023'), dir, { recursive: true });
    const overviewFile = join(dir, 'text/overview.hbs');
    writeFileSync(overviewFile, readFileSync(overviewFile, 'utf8').replaceAll('{{amountUnit}}', '万元'));
    const other = loadTemplateSet(dir);
    const findings = other.narrative.trial(narrativeContext(inYuan()));
    const overview = findings.find((f) => f.loc?.file.endsWith('overview.hbs'));
    expect(overview?.rule).toBe('template.amount-unit');
    expect(overview?.loc?.line).toBe(1);
    expect(overview?.message).toContain('{{amountUnit}}');
    // The same format is fine for data in 万元, and as it is (with {{amountUnit}}) for data in 元.
    expect(other.narrative.trial(narrativeContext(reference()))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
    const fixture = loadTemplateSet(join(process.cwd(), 'tests/fixtures/formats/other-city-2023'));
    expect(fixture.narrative.trial(narrativeContext(inYuan()))).toEqual([]);
  });
});

describe('a unit with no projects', () => {
  function withoutProjects(): Budget {
    const b = reference();
    b.projects = [];
    b.functionLines = b.functionLines.map((l) => ({ ...l, projectOperating: null, projectTargeted: null }));
    return b;
  }

  it('says it has only basic spending, not 项目支出0万元，占0%, and claims no 绩效目标', () => {
    const b = withoutProjects();
    expect(text(b, 'expense')).toBe('区政务服务中心2022年支出合计245.23万元，全部为基本支出，无项目支出。');
    expect(text(b, 'general-public')).toBe('区政务服务中心2022年一般公共预算支出年初预算为245.23万元，全部为基本支出，无项目支出。');
    expect(text(b, 'performance')).toBe('区政务服务中心2022年无项目支出，未设置项目绩效目标。');
  });

  it('the reference, with projects, reads as before', () => {
    expect(text(reference(), 'general-public')).toBe(
      '区政务服务中心2022年一般公共预算支出年初预算为866.01万元。其中：基本支出245.23万元，占28%；项目支出620.78万元，占72%。',
    );
    expect(text(reference(), 'performance')).toContain('预算项目均按要求编制了绩效目标');
  });
});

describe('a prior year the data does not give', () => {
  it('is not compared: no 政府性基金收支预算无变化 for an unknown prior 政府性基金', () => {
    const b = reference();
    b.priorYear.governmentFund = null;
    b.functionLines = b.functionLines.map((l) => (l.code === '2012906' ? { ...l, fund: 'government_fund' as const } : l));
    const t = text(b, 'fiscal');
    expect(t).toContain('政府性基金收支预算2.39万元');
    expect(t).not.toContain('政府性基金收支预算无变化');
    expect(t).toMatch(/增长13%，主要原因：建设区级电子监察平台及扩容政务服务实体大厅等专项支出增加。$/);
    expect(text(reference(), 'fiscal')).toContain('；政府性基金收支预算无变化。');
  });
});

describe('a change against the prior year', () => {
  it('gives the 政府性基金 change with its percentage, as the 一般公共预算 one', () => {
    const b = reference();
    b.priorYear.governmentFund = new Decimal('2.00');
    b.functionLines = b.functionLines.map((l) => (l.code === '2012906' ? { ...l, fund: 'government_fund' as const } : l));
    expect(text(b, 'fiscal')).toContain('政府性基金收支预算增加0.39万元，增长20%');
  });

  it('gives the 国有资本经营 change once the prior year has that figure, with its reason', () => {
    const b = reference();
    b.functionLines = b.functionLines.map((l) => (l.code === '2012906' ? { ...l, fund: 'state_capital' as const } : l));
    expect(text(b, 'fiscal')).toContain('国有资本经营预算收支预算2.39万元。与2021年相比');
    expect(text(b, 'fiscal')).not.toMatch(/国有资本经营预算收支预算(增加|减少|无变化)/);
    b.priorYear.stateCapital = new Decimal('2.00');
    b.reasons = { ...b.reasons, state_capital_change: '工会经费调整' };
    expect(text(b, 'fiscal')).toMatch(/；国有资本经营预算收支预算增加0\.39万元，增长20%，主要原因：工会经费调整。$/);
  });

  it('says how much of a fund’s 收支 is paid from 上年结转, so the text agrees with the 收支总表', () => {
    const b = reference();
    b.economicLines = b.economicLines.map((l, i) => (i === 0 ? { ...l, fromCarryover: true } : l));
    const carried = b.economicLines[0]!.basic!.plus(b.economicLines[0]!.project ?? 0).toString();
    expect(text(b, 'fiscal')).toContain(`一般公共预算收支预算866.01万元（含上年结转${carried}万元），政府性基金`);
    expect(text(b, 'general-public')).toContain(`年初预算为866.01万元（含上年结转${carried}万元）。其中`);
    expect(text(reference(), 'fiscal')).not.toContain('含上年结转');
  });

  it('quotes no reason for a figure that did not change', () => {
    const b = reference();
    b.reasons = { ...b.reasons, government_fund_change: '上级专项资金调整' };
    const t = text(b, 'fiscal');
    expect(t).toContain('；政府性基金收支预算无变化。');
    expect(t).not.toContain('上级专项资金调整');
  });
});

describe('figures a format’s own texts may list', () => {
  it('gives spending by 功能分类 类 in code order with shares that add up to 100, and the number of projects', () => {
    const f = narrativeContext(reference()).f;
    const shown = f.generalPublicByClass.map((c) => `${c.code} ${c.name} ${c.total!.toFixed(2)} ${c.share}%`);
    expect(shown).toEqual(['201 一般公共服务支出 817.58 94%', '208 社会保障和就业支出 18.02 2%', '210 卫生健康支出 16.10 2%', '221 住房保障支出 14.31 2%']);
    expect(f.generalPublicByClass.reduce((a, c) => a + c.share, 0)).toBe(100);
    expect(f.byClass.map((c) => c.code)).toEqual(['201', '208', '210', '221']);
    expect(f.projectCount).toBe(13);
  });
});

describe('专项转移支付', () => {
  it('lists each project with its amount in the data’s unit (the amount unit is the whole context’s, not the item’s)', () => {
    const b = reference();
    b.specialTransfers = [{ name: '政务服务能力提升补助', amount: new Decimal('12.50') }, { name: '数据共享补助', amount: null }];
    expect(text(b, 'special-transfers')).toBe('区政务服务中心2022年负责管理的专项转移支付项目2个：政务服务能力提升补助12.5万元、数据共享补助。');
  });
});
