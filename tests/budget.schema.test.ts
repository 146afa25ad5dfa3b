import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  editDistance,
  loadYamlWithSchema,
  nearest,
  parseWithSchema,
  s,
  type Infer,
  type Schema,
} from '../src/budget/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'budget-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function read<T>(schema: Schema<T>, text: string) {
  return parseWithSchema({ file: 'data.yaml', text }, schema);
}

/** Reads `text` expecting exactly one error finding, and returns it. */
function oneError<T>(schema: Schema<T>, text: string) {
  const result = read(schema, text);
  expect(result.value).toBeUndefined();
  expect(result.findings).toHaveLength(1);
  return result.findings[0];
}

const Project = s.object({
  code: s.code({ pattern: /^\d{21}$/, label: '项目编码', hint: '21 位数字' }),
  name: s.string({ nonEmpty: true }),
  kind: s.enum(['其他运转类', '特定目标类']),
  amount: s.amount(),
  prior: s.optional(s.amount()),
});
const Budget = s.object({
  year: s.int({ min: 2000, max: 2100 }),
  unit: s.object({ name: s.string(), code: s.code({ digits: 3 }) }),
  published: s.optional(s.date()),
  projects: s.list(Project, { minItems: 1 }),
});

const GOOD = `year: 2022
unit:
  name: 洛龙区政务服务中心
  code: "605"
projects:
  - code: "410311220000000004751"
    name: 110联动办公费
    kind: 其他运转类
    amount: 0.1
  - code: '410311220000000004752'
    name: 政务服务专项
    kind: 特定目标类
    amount: "0.2"
    prior: 0.00
`;

describe('a valid file', () => {
  it('gives typed values with exact amounts and intact codes', () => {
    const { value, findings } = read(Budget, GOOD);
    expect(findings).toEqual([]);
    expect(value).toBeDefined();
    const budget = value!;
    expect(budget.year).toBe(2022);
    expect(budget.unit.code).toBe('605');
    expect(budget.projects.map((p) => p.code)).toEqual(['410311220000000004751', '410311220000000004752']);
    expect(budget.published).toBeNull();
    const [a, b] = budget.projects;
    expect(a.amount).toBeInstanceOf(Decimal);
    expect(a.amount.plus(b.amount).equals(new Decimal('0.3'))).toBe(true);
    expect(a.amount.plus(b.amount).toString()).toBe('0.3');
    // Absent is null; 0.00 is a figure.
    expect(a.prior).toBeNull();
    expect(b.prior?.isZero()).toBe(true);
  });

  it('types the parsed value from the schema', () => {
    type Budget = Infer<typeof Budget>;
    expectTypeOf<Budget['year']>().toEqualTypeOf<number>();
    expectTypeOf<Budget['published']>().toEqualTypeOf<string | null>();
    expectTypeOf<Budget['projects'][number]['kind']>().toEqualTypeOf<'其他运转类' | '特定目标类'>();
    expectTypeOf<Budget['projects'][number]['amount']>().toEqualTypeOf<Decimal>();
    expectTypeOf<Budget['projects'][number]['prior']>().toEqualTypeOf<Decimal | null>();
    expect(read(Budget, GOOD).value?.projects[1].kind).toBe('特定目标类');
  });

  it('locates every value by its field path', () => {
    const { locate } = read(Budget, GOOD);
    expect(locate('year')).toEqual({ file: 'data.yaml', line: 1, col: 7 });
    expect(locate('unit.code')).toEqual({ file: 'data.yaml', line: 4, col: 9 });
    expect(locate('projects[1]')).toEqual({ file: 'data.yaml', line: 10, col: 5 });
    expect(locate('projects[1].amount')).toEqual({ file: 'data.yaml', line: 13, col: 13 });
    expect(locate('projects[0].prior')).toBeUndefined();
    expect(locate('nothing.here')).toBeUndefined();
  });

  it('keeps amounts beyond double precision exact', () => {
    const { value } = read(s.object({ a: s.amount() }), 'a: 12345678901234567.89\n');
    expect(value?.a.toFixed(2)).toBe('12345678901234567.89');
  });

  it('follows aliases to the anchored value and its position', () => {
    const schema = s.object({ fund: s.string(), other: s.string() });
    const { value, locate } = read(schema, 'fund: &f 一般公共预算\nother: *f\n');
    expect(value).toEqual({ fund: '一般公共预算', other: '一般公共预算' });
    expect(locate('other')).toEqual({ file: 'data.yaml', line: 1, col: 10 });
  });
});

describe('objects', () => {
  it('names an unknown key and suggests the nearest known one', () => {
    const f = oneError(s.object({ amount: s.optional(s.amount()), name: s.string() }), 'name: x\nammount: 1\n');
    expect(f.rule).toBe('schema.unknown-key');
    expect(f.path).toBe('ammount');
    expect(f.loc).toEqual({ file: 'data.yaml', line: 2, col: 1 });
    expect(f.message).toContain('未知字段“ammount”');
    expect(f.message).toContain('是否应为“amount”');
  });

  it('says a key of a mapping one level down was written at the wrong indentation, not misspelt', () => {
    const schema = s.object({ procurement: s.optional(s.object({ goods: s.amount(), services: s.optional(s.amount()) })), name: s.string() });
    const f = oneError(schema, 'name: x\nprocurement:\n  goods: 1\nservices: 2\n');
    expect(f.rule).toBe('schema.unknown-key');
    expect(f.loc).toMatchObject({ line: 4, col: 1 });
    expect(f.message).toContain('“services”是“procurement”下的字段，是否缩进不对？');
  });

  it('asks for half-width digits in an integer typed with full-width ones', () => {
    const f = oneError(s.object({ year: s.int() }), 'year: ２０２５\n');
    expect(f.message).toContain('请用半角数字，写成 2025');
  });

  it('lists the known keys when nothing is close', () => {
    const f = oneError(s.object({ amount: s.optional(s.amount()) }), 'colour: red\n');
    expect(f.message).toContain('可用的字段：“amount”');
  });

  it('reports a missing required key at the mapping', () => {
    const f = oneError(Project, 'code: "410311220000000004751"\nname: x\nkind: 其他运转类\n');
    expect(f.rule).toBe('schema.missing');
    expect(f.path).toBe('amount');
    expect(f.loc).toMatchObject({ line: 1, col: 1 });
    expect(f.message).toContain('缺少必填字段“amount”（金额）');
  });

  it('treats an empty value of a required key as missing, at the key', () => {
    const f = oneError(s.object({ name: s.string(), amount: s.amount() }), 'name: x\namount:\n');
    expect(f.rule).toBe('schema.missing');
    expect(f.loc).toMatchObject({ line: 2, col: 1 });
    expect(f.message).toContain('amount：值为空');
  });

  it('fills defaults for absent optional values', () => {
    const schema = s.object({ scope: s.optional(s.string(), '本级'), note: s.optional(s.string()) });
    expect(read(schema, 'note: ~\n').value).toEqual({ scope: '本级', note: null });
    expectTypeOf<Infer<typeof schema>>().toEqualTypeOf<{ scope: string; note: string | null }>();
  });

  it('reports every problem in one pass, in file order', () => {
    const { findings } = read(Budget, 'year: 1900\nunit: {name: x, code: 605}\nprojects: []\n');
    expect(findings.map((f) => f.rule)).toEqual(['schema.range', 'schema.code-not-string', 'schema.min-items']);
  });
});

describe('wrong types', () => {
  it('reports a scalar where a mapping is expected', () => {
    const result = read(s.object({ unit: s.object({ name: s.string() }) }), 'unit: 洛龙区\n');
    expect(result.findings).toHaveLength(1);
    const [f] = result.findings;
    expect(f.rule).toBe('schema.type');
    expect(f.path).toBe('unit');
    expect(f.loc).toMatchObject({ line: 1, col: 7 });
    expect(f.message).toBe('unit：应为映射（若干“键: 值”），实际是文字“洛龙区”。');
  });

  it('reports a mapping where a list is expected, a list where text is expected, text where an integer is', () => {
    const schema = s.object({ items: s.list(s.string()), name: s.string(), year: s.int() });
    const { findings } = read(schema, 'items: {a: 1}\nname: [a, b]\nyear: 二〇二二\n');
    expect(findings.map((f) => [f.rule, f.path])).toEqual([
      ['schema.type', 'items'],
      ['schema.type', 'name'],
      ['schema.type', 'year'],
    ]);
    expect(findings[0].message).toContain('应为列表');
    expect(findings[1].message).toContain('实际是列表');
    expect(findings[2].message).toContain('应为整数，实际是文字“二〇二二”');
  });

  it('refuses a document that is not a mapping at the top', () => {
    const f = oneError(Budget, '- a\n- b\n');
    expect(f.rule).toBe('schema.type');
    expect(f.message).toContain('文件顶层：应为映射');
  });

  it('takes text as written, even when YAML would read a number', () => {
    const schema = s.object({ value: s.string() });
    expect(read(schema, 'value: 1.50\n').value).toEqual({ value: '1.50' });
    expect(oneError(s.object({ value: s.string({ nonEmpty: true }) }), 'value: "  "\n').rule).toBe('schema.empty');
  });
});

describe('codes', () => {
  const Code = s.object({ code: s.code({ digits: 3 }) });

  it('refuses a code written as a number, telling to quote it', () => {
    const f = oneError(Code, 'code: 03\n');
    expect(f.rule).toBe('schema.code-not-string');
    expect(f.loc).toMatchObject({ line: 1, col: 7 });
    expect(f.message).toContain('请写成 "03"');
    expect(f.message).toContain('读成 3');
    expect(oneError(Code, 'code: 201\n').message).toContain('请写成 "201"');
  });

  it('keeps quoted codes, leading zeros included, and accepts !!str', () => {
    expect(read(Code, 'code: "030"\n').value).toEqual({ code: '030' });
    expect(read(Code, "code: '201'\n").value).toEqual({ code: '201' });
    expect(read(Code, 'code: !!str 030\n').value).toEqual({ code: '030' });
  });

  it('checks the number of digits and patterns', () => {
    const f = oneError(Code, 'code: "0301"\n');
    expect(f.rule).toBe('schema.code-format');
    expect(f.message).toContain('应为 3 位数字（现为 4 位）');
    const Economic = s.object({ code: s.code({ digits: [3, 5] }) });
    expect(read(Economic, 'code: "30101"\n').value).toEqual({ code: '30101' });
    expect(oneError(Economic, 'code: "3010"\n').message).toContain('3 位或 5 位数字');
    const f21 = oneError(Project, 'code: "41031122000000004751"\nname: x\nkind: 其他运转类\namount: 1\n');
    expect(f21.rule).toBe('schema.code-format');
    expect(f21.message).toContain('项目编码');
    expect(f21.message).toContain('21 位数字');
  });

  it('keeps a 21-digit code that a number would round', () => {
    const { value } = read(Project, 'code: "410311220000000004751"\nname: x\nkind: 其他运转类\namount: 1\n');
    expect(value?.code).toBe('410311220000000004751');
    expect(String(Number('410311220000000004751'))).not.toBe('410311220000000004751');
  });
});

describe('amounts', () => {
  const A = s.object({ a: s.amount() });

  it.each([
    ['1e3', '科学计数法'],
    ['.5', '写成 0.5'],
    ['"1,000"', '写成 1000'],
    ['abc', '只能写数字'],
    ['12.345', '最多 2 位小数'],
    ['-1', '不能为负数'],
    ['+5', '不要写正号'],
    ['12万元', 'amount_unit 为万元时写 12，为元时写 120000'],
    ['80000元', 'amount_unit 为万元时写 8，为元时写 80000'],
    ['12345元', '1.2345（万元最多两位小数'],
    ['１２', '半角数字'],
    ['""', '不能是空文字'],
    ['.inf', '只能写数字'],
  ])('refuses %s', (written, hint) => {
    const f = oneError(A, `a: ${written}\n`);
    expect(f.rule).toBe('schema.amount');
    expect(f.path).toBe('a');
    expect(f.loc).toMatchObject({ line: 1, col: 4 });
    expect(f.message).toContain(`金额“${written.replace(/"/g, '')}”`);
    expect(f.message).toContain(hint);
  });

  it.each([
    ['"80000.00\u3000"', '末尾有全角空格（U+3000），请删去，写成 80000.00'],
    ['"12\u00a034"', '中间有不换行空格（U+00A0），请删去'],
  ])('names the invisible character in %s', (written, hint) => {
    const f = oneError(A, `a: ${written}\n`);
    expect(f.rule).toBe('schema.amount');
    expect(f.message).toContain(hint);
  });

  it('accepts negatives when allowed, and quoted amounts', () => {
    expect(read(s.object({ a: s.amount({ allowNegative: true }) }), 'a: -1.5\n').value?.a.toString()).toBe('-1.5');
    expect(read(A, 'a: "866.01"\n').value?.a.toFixed(2)).toBe('866.01');
  });

  it('sums 0.1 and 0.2 to exactly 0.3', () => {
    const { value } = read(s.object({ parts: s.list(s.amount()) }), 'parts: [0.1, 0.2]\n');
    const total = value!.parts.reduce((x, y) => x.plus(y), new Decimal(0));
    expect(total.equals(new Decimal('0.3'))).toBe(true);
    expect(0.1 + 0.2).not.toBe(0.3); // what a JS number would have done
  });

  it('reads an absent or empty optional amount as null, not zero', () => {
    const schema = s.object({ a: s.optional(s.amount()), b: s.optional(s.amount()), c: s.optional(s.amount()) });
    const { value } = read(schema, 'b:\nc: 0\n');
    expect(value?.a).toBeNull();
    expect(value?.b).toBeNull();
    expect(value?.c?.isZero()).toBe(true);
  });
});

describe('other leaves', () => {
  it('checks integers against their range', () => {
    const f = oneError(s.object({ year: s.int({ min: 2000, max: 2100 }) }), 'year: 1999\n');
    expect(f.rule).toBe('schema.range');
    expect(f.message).toContain('在 2000 到 2100 之间');
  });

  it('checks enums and suggests the nearest value', () => {
    const f = oneError(s.object({ kind: s.enum(['其他运转类', '特定目标类']) }), 'kind: 特定目标\n');
    expect(f.rule).toBe('schema.enum');
    expect(f.message).toContain('是否应为“特定目标类”');
  });

  it('checks dates and shows the YYYY-MM-DD form', () => {
    const D = s.object({ d: s.date() });
    expect(read(D, 'd: 2022-03-01\n').value).toEqual({ d: '2022-03-01' });
    expect(oneError(D, 'd: 2022-02-30\n').rule).toBe('schema.date');
    expect(oneError(D, 'd: 2022年3月1日\n').message).toContain('例如 2022-03-01');
    // The example is a real date, never the user's own impossible day back to them.
    expect(oneError(D, 'd: 2022-02-30\n').message).toBe('d：“2022-02-30”不是有效日期；请写成 YYYY-MM-DD，例如 2022-01-01。');
    expect(oneError(D, 'd: 2022/13/01\n').message).toContain('例如 2022-01-01');
    expect(oneError(D, 'd: 3月1日\n').message).toContain('例如 2022-01-15');
  });

  it('reads booleans and free-form mappings', () => {
    const schema = s.object({ draft: s.boolean(), texts: s.record(s.string()) });
    const { value, locate } = read(schema, 'draft: false\ntexts:\n  名词解释: 自定义文字\n  "a.b": x\n');
    expect(value).toEqual({ draft: false, texts: { 名词解释: '自定义文字', 'a.b': 'x' } });
    expect(locate('texts.名词解释')).toMatchObject({ line: 3 });
    expect(locate('texts["a.b"]')).toMatchObject({ line: 4 });
    expect(oneError(schema, 'draft: "no"\ntexts: {}\n').rule).toBe('schema.type');
  });

  it('reports empty list items and too-short lists', () => {
    const L = s.object({ xs: s.list(s.string(), { minItems: 2 }) });
    expect(oneError(L, 'xs:\n  - a\n').rule).toBe('schema.min-items');
    const f = oneError(L, 'xs:\n  - a\n  -\n');
    expect(f.rule).toBe('schema.missing');
    expect(f.path).toBe('xs[1]');
  });
});

describe('composition', () => {
  const Indicator = s.transform(s.tuple([s.string({ nonEmpty: true }), s.string()]), ([name, value]) => ({ name, value }));

  it('reads a fixed-length tuple and reshapes it', () => {
    const schema = s.object({ rows: s.list(Indicator) });
    const { value, locate } = read(schema, 'rows:\n  - [办件量, 12000]\n  - [满意度, "≥95%"]\n');
    expect(value?.rows).toEqual([{ name: '办件量', value: '12000' }, { name: '满意度', value: '≥95%' }]);
    expect(locate('rows[1][1]')).toMatchObject({ line: 3, col: 11 });
    expectTypeOf<Infer<typeof Indicator>>().toEqualTypeOf<{ name: string; value: string }>();
  });

  it('refuses a tuple of the wrong length', () => {
    const f = oneError(s.object({ row: Indicator }), 'row: [办件量]\n');
    expect(f.rule).toBe('schema.type');
    expect(f.message).toContain('现有 1 项');
  });

  it('adds checks with refine, and limits list length', () => {
    const Share = s.refine(s.int(), 'schema.range', (n) => (n % 5 === 0 ? undefined : `${n} 应为 5 的倍数。`));
    expect(read(s.object({ n: Share }), 'n: 10\n').value).toEqual({ n: 10 });
    const f = oneError(s.object({ n: Share }), 'n: 12\n');
    expect(f.message).toBe('n：12 应为 5 的倍数。');
    expect(oneError(s.object({ xs: s.list(s.int(), { maxItems: 1 }) }), 'xs: [1, 2]\n').rule).toBe('schema.max-items');
  });
});

describe('suggestions', () => {
  it('measures edits in characters, not UTF-16 units', () => {
    expect(editDistance('ammount', 'amount')).toBe(1);
    expect(editDistance('金頟', '金额')).toBe(1);
    expect(editDistance('yaer', 'year')).toBe(1); // neighbours swapped: one edit
    expect(editDistance('abc', 'ca')).toBe(3);
    expect(nearest('ammount', ['amount', 'name'])).toBe('amount');
    expect(nearest('Amount', ['amount'])).toBe('amount');
    expect(nearest('xyz', ['amount', 'name'])).toBeUndefined();
  });
});

describe('loadYamlWithSchema', () => {
  it('loads a file', () => {
    const path = fixture('good.yaml', GOOD);
    const result = loadYamlWithSchema(path, Budget);
    expect(result.findings).toEqual([]);
    expect(result.unreadable).toBe(false);
    expect(result.file).toBe(path);
    expect(result.value?.unit.name).toBe('洛龙区政务服务中心');
    expect(result.locate('projects[0].amount')).toEqual({ file: path, line: 9, col: 13 });
  });

  it('turns read and parse failures into findings, marked unreadable', () => {
    const missing = loadYamlWithSchema(join(dir, 'absent.yaml'), Budget);
    expect(missing.unreadable).toBe(true);
    expect(missing.value).toBeUndefined();
    expect(missing.locate('year')).toBeUndefined();
    expect(missing.findings.map((f) => f.rule)).toEqual(['input.missing']);
    const broken = loadYamlWithSchema(fixture('broken.yaml', 'year: [2022\n'), Budget);
    expect(broken.unreadable).toBe(true);
    expect(broken.findings.map((f) => f.rule)).toEqual(['yaml.syntax']);
    const empty = loadYamlWithSchema(fixture('empty.yaml', ''), Budget);
    expect(empty.findings.map((f) => f.rule)).toEqual(['input.empty']);
  });

  it('refuses an alias bomb quickly', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    }
    const path = fixture('bomb.yaml', lines.join('\n') + '\n');
    const start = performance.now();
    const result = loadYamlWithSchema(path, s.object({}));
    expect(performance.now() - start).toBeLessThan(500);
    expect(result.unreadable).toBe(true);
    expect(result.findings.map((f) => f.rule)).toEqual(['yaml.alias-limit']);
  });

  it('marks data that breaks the schema as readable but without a value', () => {
    const result = loadYamlWithSchema(fixture('typo.yaml', GOOD.replace('amount: 0.1', 'ammount: 0.1')), Budget);
    expect(result.unreadable).toBe(false);
    expect(result.value).toBeUndefined();
    // The misspelt key is reported once, with its suggestion, not again as a missing amount.
    expect(result.findings.map((f) => [f.rule, f.path])).toEqual([['schema.unknown-key', 'projects[0].ammount']]);
    expect(result.locate('projects[0].name')?.line).toBe(7);
  });
});

describe('a thousands separator in a flow mapping ({ wages: 1,090.00 })', () => {
  const Line = s.object({ code: s.string(), wages: s.optional(s.amount()), capital: s.optional(s.amount()) });

  it('names the amount the comma split, not an unknown field “090.00”', () => {
    // Before: 未知字段“090.00”；可用的字段：… — a clerk could not tell what was wrong.
    const f = oneError(Line, '{ code: a, wages: 1,090.00, capital: 2 }\n');
    expect(f.rule).toBe('schema.amount');
    expect(f.path).toBe('wages');
    expect(f.message).toContain('金额“1,090.00”被逗号拆开了');
    expect(f.message).toContain('请写成 wages: 1090.00');
  });

  it('reports an amount split twice once, whole', () => {
    const f = oneError(Line, '{ code: a, wages: 1,234,567.50 }\n');
    expect(f.message).toContain('金额“1,234,567.50”');
    expect(f.message).toContain('请写成 wages: 1234567.50');
  });

  it('leaves other unknown keys as they were', () => {
    const f = oneError(Line, '{ code: a, wages: 1, wagse: 2 }\n');
    expect(f.rule).toBe('schema.unknown-key');
  });
});
