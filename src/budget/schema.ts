/**
 * A small schema DSL for YAML data files. A schema walks the parsed YAML nodes
 * (never a JS value made from them) so that amounts are read from their source
 * text straight into decimal.js, codes keep their leading zeros, and every value
 * keeps the file:line:col it came from. Problems become Findings with Chinese
 * messages that name the field path and say what to write instead.
 *
 *   const Project = s.object({ code: s.code({ digits: 3 }), name: s.string(), amount: s.amount() });
 *   type Project = Infer<typeof Project>;
 *
 * Absent and empty (`key:` / `~`) values are the same thing: a required field
 * reports `schema.missing`, an optional one yields its default or null.
 */
import { Decimal } from './decimal.js';
import { isAlias, isMap, isScalar, isSeq, Scalar, type Node as YamlNode, type ParsedNode } from 'yaml';
import { codePointLabel, hasErrors, type Finding, type SourceLoc } from './findings.js';
import {
  DataInputError,
  parseYamlSource,
  readSourceText,
  type ReadOptions,
  type SourceText,
  type YamlLimits,
  type YamlSource,
} from './source.js';

/** Returned by a reader after it has reported why the node is unusable. */
export const INVALID: unique symbol = Symbol('invalid');
export type Read<T> = T | typeof INVALID;

/** State of one walk: where findings and positions are collected. */
export interface ReadContext {
  readonly yaml: YamlSource;
  readonly findings: Finding[];
  readonly positions: Map<string, SourceLoc>;
  /** Paths written with no value (`key:` or `key: ~`): there, but read as absent. */
  readonly blank: Set<string>;
}

export interface Schema<T> {
  /** What the value should be, as a Chinese noun phrase for messages ("金额", "3 位数字的编码"). */
  readonly expected: string;
  /** Reads a present, non-empty node; reports findings and returns INVALID when it cannot. */
  readonly read: (node: ParsedNode, ctx: ReadContext, path: string) => Read<T>;
  /** Set for optional schemas: the value of an absent or empty field. */
  readonly absent?: { readonly value: T };
  /** A mapping's fields: where else a key is known, for a key written at the wrong indentation. */
  readonly fields?: Fields;
}

/** The TypeScript type a schema produces. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Fields = Record<string, Schema<unknown>>;
export type ObjectOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

// ---------------------------------------------------------------------------
// Walking

function report(ctx: ReadContext, rule: string, path: string, loc: SourceLoc, message: string): typeof INVALID {
  ctx.findings.push({ rule, severity: 'error', message, loc, ...(path ? { path } : {}) });
  return INVALID;
}

/** For hand-written schemas: records an error at `node` and returns INVALID. */
export function invalid(ctx: ReadContext, rule: string, path: string, node: YamlNode, message: string): typeof INVALID {
  return report(ctx, rule, path, ctx.yaml.locOf(node), message);
}

/** How a path is shown in messages; the root has no path. */
function shown(path: string): string {
  return path === '' ? '文件顶层' : path;
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  // Keys that would make the path ambiguous are quoted.
  const safe = /^[^\s.[\]"]+$/u.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (safe.startsWith('[')) return `${parent}${safe}`;
  return parent === '' ? safe : `${parent}.${safe}`;
}

function isEmptyScalar(node: ParsedNode): boolean {
  return isScalar(node) && node.value === null;
}

/**
 * Reads `node` (undefined = the key is absent) with `schema`, records its position
 * under `path`, and handles absent/empty values. `whereAbsent` is where a missing
 * value is reported: the key for `key:`, the enclosing mapping for a missing key.
 */
function readField<T>(
  schema: Schema<T>,
  node: ParsedNode | null | undefined,
  ctx: ReadContext,
  path: string,
  whereAbsent: SourceLoc,
  absentMessage: string,
): Read<T> {
  let target: ParsedNode | null | undefined = node;
  if (target && isAlias(target)) target = ctx.yaml.resolveAlias(target);
  if (!target || isEmptyScalar(target)) {
    if (target) {
      ctx.positions.set(path, whereAbsent);
      ctx.blank.add(path);
    }
    if (schema.absent) return schema.absent.value;
    return report(ctx, 'schema.missing', path, whereAbsent, absentMessage);
  }
  // A block list is where its key is (economic_lines:), not at its first entry, which a finding
  // about the whole list would seem to blame; a mapping is where its first key is.
  const blockList = isSeq(target) && !target.flow && path !== '';
  ctx.positions.set(path, blockList ? whereAbsent : ctx.yaml.locOf(target));
  return schema.read(target, ctx, path);
}

/** The text of a scalar as written: plain scalars from the source, quoted ones after unescaping. */
function scalarText(node: Scalar): string {
  if (node.type === Scalar.PLAIN || node.type === undefined) return node.source ?? String(node.value);
  return typeof node.value === 'string' ? node.value : String(node.value);
}

function isQuoted(node: Scalar): boolean {
  return node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
}

function clip(text: string, max = 30): string {
  const chars = Array.from(text.replace(/\s+/g, ' '));
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** What the user actually wrote, for "应为 X，实际是 Y" messages. */
function describe(node: YamlNode): string {
  if (isMap(node)) return '映射（若干“键: 值”）';
  if (isSeq(node)) return '列表';
  if (isScalar(node)) {
    const text = clip(scalarText(node));
    if (typeof node.value === 'number') return `数字 ${text}`;
    if (typeof node.value === 'boolean') return `真假值 ${text}`;
    return `文字“${text}”`;
  }
  return '别名';
}

function typeError(ctx: ReadContext, path: string, node: YamlNode, expected: string): typeof INVALID {
  return report(ctx, 'schema.type', path, ctx.yaml.locOf(node), `${shown(path)}：应为${spaced(expected)}，实际是${describe(node)}。`);
}

/** Edit distance over code points, so that 金頟 → 金额 counts one edit. */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  // Optimal string alignment: two neighbours typed the wrong way round (yaer, fnud) count as one edit.
  let before: number[] = [];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[y.length];
}

/** The known word closest to `word`, if it is close enough to be a typo of it. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const allowed = Math.max(1, Math.floor(Math.max(Array.from(word).length, 3) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * What to say about a key that is not one of `known`: the nearest known key if it looks like a
 * typo of one, else the known keys when there are at most `listUpTo` of them.
 */
export function unknownKeyHint(
  key: string,
  known: readonly string[],
  { listLabel = '可用的字段', listUpTo = 12 }: { listLabel?: string; listUpTo?: number } = {},
): { hint: string; suggestion?: string } {
  const suggestion = nearest(key, known);
  if (suggestion) return { hint: `是否应为“${suggestion}”？`, suggestion };
  return { hint: known.length <= listUpTo ? `${listLabel}：${quoteList(known)}。` : '请检查拼写。' };
}

/**
 * A key that is a field of a mapping one level down (services: written at the top, not under
 * procurement:): the indentation is wrong, not the spelling.
 */
function misplacedKeyHint(key: string, fields: Fields, path: string): { hint: string; suggestion?: undefined } | undefined {
  const owner = Object.keys(fields).find((name) => fields[name]!.fields && Object.hasOwn(fields[name]!.fields!, key));
  if (owner === undefined) return undefined;
  return { hint: `“${key}”是“${childPath(path, owner)}”下的字段，是否缩进不对？它应缩进在“${owner}:”之下。` };
}

/** A leading space before Latin text or digits that follow Chinese ("应为 3 位数字"). */
function spaced(text: string): string {
  return /^[\w^]/.test(text) ? ` ${text}` : text;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `“${v}”`).join('、');
}

// ---------------------------------------------------------------------------
// Schemas

function object<F extends Fields>(fields: F): Schema<ObjectOf<F>> {
  const known = Object.keys(fields);
  const expected = '映射（若干“键: 值”）';
  return {
    expected,
    fields,
    read(node, ctx, path) {
      if (!isMap(node)) return typeError(ctx, path, node, expected);
      const mapLoc = ctx.yaml.locOf(node);
      const values = new Map<string, unknown>();
      const seen = new Set<string>();
      const suggested = new Set<string>();
      let ok = true;
      for (const pair of node.items) {
        const keyNode = pair.key as ParsedNode | null;
        const keyLoc = keyNode ? ctx.yaml.locOf(keyNode) : mapLoc;
        if (!keyNode || !isScalar(keyNode) || keyNode.value === null) {
          report(ctx, 'schema.type', path, keyLoc, `${shown(path)}：字段名必须是文字。`);
          ok = false;
          continue;
        }
        const key = scalarText(keyNode);
        const split = thousandsSplit(node.items, pair);
        if (!Object.hasOwn(fields, key) && split) {
          // { wages: 1,090.00 }: in a flow mapping the comma ends the field, and 090.00 becomes a key.
          if (split.first) {
            report(ctx, 'schema.amount', childPath(path, split.key), keyLoc,
              `${childPath(path, split.key)}：金额“${split.written}”被逗号拆开了（在 { … } 里逗号分隔字段，“${key}”成了字段名）；` +
                `不要用千位分隔符，请写成 ${split.key}: ${split.fixed}。`);
          }
          ok = false;
          continue;
        }
        if (!Object.hasOwn(fields, key)) {
          const { hint, suggestion } = misplacedKeyHint(key, fields, path) ?? unknownKeyHint(key, known);
          if (suggestion) suggested.add(suggestion);
          report(ctx, 'schema.unknown-key', childPath(path, key), keyLoc, `${shown(path)}：未知字段“${key}”；${hint}`);
          ok = false;
          continue;
        }
        seen.add(key);
        const fieldPath = childPath(path, key);
        const value = readField(fields[key], pair.value as ParsedNode | null, ctx, fieldPath, keyLoc,
          `${fieldPath}：值为空；请填写${spaced(fields[key].expected)}。`);
        if (value === INVALID) ok = false;
        else values.set(key, value);
      }
      for (const key of known) {
        if (seen.has(key)) continue;
        // A misspelt key already got "是否应为 …"; saying the real key is missing too would be noise.
        if (suggested.has(key) && !fields[key].absent) continue;
        const fieldPath = childPath(path, key);
        const value = readField(fields[key], undefined, ctx, fieldPath, mapLoc,
          `${shown(path)}：缺少必填字段“${key}”（${fields[key].expected}）。`);
        if (value === INVALID) ok = false;
        else values.set(key, value);
      }
      if (!ok) return INVALID;
      // Built in schema order, so output does not depend on the order keys were written in.
      return Object.fromEntries(known.map((key) => [key, values.get(key)])) as ObjectOf<F>;
    },
  };
}

/**
 * Whether `pair` is a piece of an amount that thousands separators split in a flow mapping:
 * `{ wages: 1,090.00 }` reads as wages: 1 and a key 090.00 without a value (1,234,567.00: keys
 * 234 and 567.00). `first` is set on the first piece, which reports the whole amount.
 */
function thousandsSplit(items: readonly unknown[], pair: unknown): { key: string; before: string; written: string; fixed: string; first: boolean } | null {
  const isTail = (item: unknown): boolean => {
    const q = item as { key: unknown; value: unknown };
    return isScalar(q.key) && (q.value === null || (isScalar(q.value) && q.value.value === null)) && /^\d{3}(\.\d+)?$/.test(scalarText(q.key as Scalar));
  };
  if (!isTail(pair)) return null;
  let head = items.indexOf(pair);
  while (head > 0 && isTail(items[head - 1]) && !/\./.test(scalarText((items[head - 1] as { key: Scalar }).key))) head--;
  const previous = head > 0 ? (items[head - 1] as { key: unknown; value: unknown }) : null;
  if (!previous || !isScalar(previous.key) || !isScalar(previous.value) || typeof previous.value.value !== 'number') return null;
  const before = scalarText(previous.value as Scalar);
  if (!/^\d{1,3}$/.test(before)) return null;
  const tails: string[] = [];
  for (let i = head; i < items.length && isTail(items[i]); i++) {
    const text = scalarText((items[i] as { key: Scalar }).key);
    tails.push(text);
    if (text.includes('.')) break;
  }
  return {
    key: scalarText(previous.key as Scalar), before, first: items.indexOf(pair) === head,
    written: [before, ...tails].join(','), fixed: [before, ...tails].join(''),
  };
}

function optional<T>(schema: Schema<T>): Schema<T | null>;
function optional<T>(schema: Schema<T>, defaultValue: T): Schema<T>;
function optional<T>(schema: Schema<T>, defaultValue: T | null = null): Schema<T | null> {
  return { expected: schema.expected, read: schema.read, absent: { value: defaultValue }, ...(schema.fields ? { fields: schema.fields } : {}) };
}

function list<T>(item: Schema<T>, options: { minItems?: number; maxItems?: number } = {}): Schema<T[]> {
  const { minItems = 0, maxItems = Infinity } = options;
  const expected = `列表（每项以“- ”开头，每项为${item.expected}）`;
  return {
    expected,
    read(node, ctx, path) {
      if (!isSeq(node)) return typeError(ctx, path, node, expected);
      const out: T[] = [];
      let ok = true;
      node.items.forEach((element, i) => {
        const itemPath = childPath(path, i);
        const itemNode = element as ParsedNode | null;
        const where = itemNode ? ctx.yaml.locOf(itemNode) : ctx.yaml.locOf(node);
        const value = readField(item, itemNode, ctx, itemPath, where, `${itemPath}：第 ${i + 1} 项为空；请填写${spaced(item.expected)}。`);
        if (value === INVALID) ok = false;
        else out.push(value);
      });
      if (node.items.length < minItems) {
        return report(ctx, 'schema.min-items', path, ctx.yaml.locOf(node),
          `${shown(path)}：至少需要 ${minItems} 项，现有 ${node.items.length} 项。`);
      }
      if (node.items.length > maxItems) {
        return report(ctx, 'schema.max-items', path, ctx.yaml.locOf(node),
          `${shown(path)}：最多 ${maxItems} 项，现有 ${node.items.length} 项。`);
      }
      return ok ? out : INVALID;
    },
  };
}

type TupleOf<I extends readonly Schema<unknown>[]> = { -readonly [K in keyof I]: Infer<I[K]> };

/** A fixed-length list whose items each have their own schema, e.g. [三级指标, 指标值]. */
function tuple<const I extends readonly Schema<unknown>[]>(items: I, options: { label?: string } = {}): Schema<TupleOf<I>> {
  const expected = options.label ?? `${items.length} 项的列表 [${items.map((i) => i.expected).join(', ')}]`;
  return {
    expected,
    read(node, ctx, path) {
      if (!isSeq(node)) return typeError(ctx, path, node, expected);
      if (node.items.length !== items.length) {
        return report(ctx, 'schema.type', path, ctx.yaml.locOf(node),
          `${shown(path)}：应为${spaced(expected)}，现有 ${node.items.length} 项。`);
      }
      let ok = true;
      const out = items.map((item, i) => {
        const itemPath = childPath(path, i);
        const itemNode = node.items[i] as ParsedNode | null;
        const where = itemNode ? ctx.yaml.locOf(itemNode) : ctx.yaml.locOf(node);
        const value = readField(item, itemNode, ctx, itemPath, where, `${itemPath}：第 ${i + 1} 项为空；请填写${spaced(item.expected)}。`);
        if (value === INVALID) ok = false;
        return value;
      });
      return ok ? (out as TupleOf<I>) : INVALID;
    },
  };
}

/** Reshapes a valid value (e.g. a tuple into a named record); `fn` must not fail. */
function transform<T, U>(schema: Schema<T>, fn: (value: T) => U): Schema<U> {
  return {
    expected: schema.expected,
    read(node, ctx, path) {
      const value = schema.read(node, ctx, path);
      return value === INVALID ? INVALID : fn(value);
    },
  };
}

/**
 * Adds a check to a schema. `check` returns undefined when the value is fine, or a
 * message (Chinese, without the path: it is prefixed) reported under `rule`.
 */
function refine<T>(schema: Schema<T>, rule: string, check: (value: T) => string | undefined): Schema<T> {
  return {
    expected: schema.expected,
    read(node, ctx, path) {
      const value = schema.read(node, ctx, path);
      if (value === INVALID) return INVALID;
      const problem = check(value);
      return problem === undefined ? value : report(ctx, rule, path, ctx.yaml.locOf(node), `${shown(path)}：${problem}`);
    },
  };
}

/** A mapping with free-form keys (e.g. text overrides by name). */
function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  const expected = `映射（每个值为${value.expected}）`;
  return {
    expected,
    read(node, ctx, path) {
      if (!isMap(node)) return typeError(ctx, path, node, expected);
      const entries: [string, T][] = [];
      let ok = true;
      for (const pair of node.items) {
        const keyNode = pair.key as ParsedNode | null;
        const keyLoc = keyNode ? ctx.yaml.locOf(keyNode) : ctx.yaml.locOf(node);
        if (!keyNode || !isScalar(keyNode) || keyNode.value === null) {
          report(ctx, 'schema.type', path, keyLoc, `${shown(path)}：字段名必须是文字。`);
          ok = false;
          continue;
        }
        const key = scalarText(keyNode);
        const entryPath = childPath(path, key);
        const v = readField(value, pair.value as ParsedNode | null, ctx, entryPath, keyLoc, `${entryPath}：值为空；请填写${spaced(value.expected)}。`);
        if (v === INVALID) ok = false;
        else entries.push([key, v]);
      }
      // fromEntries defines own properties, so a key like "__proto__" stays data.
      return ok ? Object.fromEntries(entries) : INVALID;
    },
  };
}

/** Reads a scalar's text or reports a type error; the common start of every leaf schema. */
function leaf<T>(expected: string, parse: (text: string, node: Scalar, ctx: ReadContext, path: string) => Read<T>): Schema<T> {
  return {
    expected,
    read(node, ctx, path) {
      if (!isScalar(node)) return typeError(ctx, path, node, expected);
      return parse(scalarText(node), node, ctx, path);
    },
  };
}

/**
 * Text. A plain scalar that YAML would read as a number or true/false is taken
 * as written (`13`, `1.50`), since the source text is at hand and nothing is lost.
 */
function string(options: { nonEmpty?: boolean } = {}): Schema<string> {
  return leaf('文字', (text, node, ctx, path) => {
    if (options.nonEmpty && text.trim() === '') {
      return report(ctx, 'schema.empty', path, ctx.yaml.locOf(node), `${shown(path)}：不能为空文字；请填写内容。`);
    }
    return text;
  });
}

function int(options: { min?: number; max?: number } = {}): Schema<number> {
  const { min, max } = options;
  return leaf('整数', (text, node, ctx, path) => {
    const loc = ctx.yaml.locOf(node);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      const halfWidth = text.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
      const hint = /^\d+$/.test(halfWidth) && halfWidth !== text.trim() ? `；请用半角数字，写成 ${halfWidth}` : '';
      return report(ctx, 'schema.type', path, loc, `${shown(path)}：应为整数，实际是${describe(node)}${hint}。`);
    }
    const n = Number(text);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      const range = min !== undefined && max !== undefined ? `在 ${min} 到 ${max} 之间` : min !== undefined ? `不小于 ${min}` : `不大于 ${max}`;
      return report(ctx, 'schema.range', path, loc, `${shown(path)}：${text} 超出范围，应${range}。`);
    }
    return n;
  });
}

function boolean(): Schema<boolean> {
  return leaf('true 或 false', (_text, node, ctx, path) =>
    typeof node.value === 'boolean' && !isQuoted(node) ? node.value : typeError(ctx, path, node, 'true 或 false'));
}

function enumOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  const expected = `以下之一：${quoteList(values)}`;
  return leaf(expected, (text, node, ctx, path) => {
    if (values.includes(text)) return text as V[number];
    const suggestion = nearest(text, values);
    return report(ctx, 'schema.enum', path, ctx.yaml.locOf(node),
      `${shown(path)}：“${clip(text)}”不是可选值${suggestion ? `；是否应为“${suggestion}”？` : ''}应为${expected}。`);
  });
}

/** A calendar date written YYYY-MM-DD, returned as that text (no time zone to get wrong). */
function date(): Schema<string> {
  return leaf('日期（YYYY-MM-DD）', (text, node, ctx, path) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text) && isCalendarDate(text)) return text;
    // The example is always a real date: the user's own written as YYYY-MM-DD when it is one
    // (2022年3月1日 → 2022-03-01), never a day that does not exist (2022-02-30).
    const loose = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
    const rewritten = loose ? `${loose[1]}-${loose[2].padStart(2, '0')}-${loose[3].padStart(2, '0')}` : undefined;
    const year = /^(\d{4})\D/.exec(text)?.[1];
    const example = rewritten && isCalendarDate(rewritten) ? rewritten : year && Number(year) >= 1000 ? `${year}-01-01` : '2022-01-15';
    const instead = `，例如 ${example}`;
    return report(ctx, 'schema.date', path, ctx.yaml.locOf(node),
      `${shown(path)}：“${clip(text)}”不是有效日期；请写成 YYYY-MM-DD${instead}。`);
  });
}

/** `YYYY-MM-DD` naming a day that exists (no 2022-02-30, no month 13). */
function isCalendarDate(text: string): boolean {
  const [y, mo, d] = text.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

export interface CodeOptions {
  /** Exact number of digits, or the allowed numbers of digits (e.g. [3, 5]). */
  digits?: number | readonly number[];
  /** Any other shape; checked in addition to `digits`. */
  pattern?: RegExp;
  /** What the code is called in messages, e.g. 项目编码. Default 编码. */
  label?: string;
  /** The expected shape in words, e.g. "21 位数字". Derived from `digits` when omitted. */
  hint?: string;
}

/**
 * A code (科目编码, 项目编码, 单位代码): must be a quoted string, because a YAML
 * reader turns a plain 03 into the number 3 and a long code into a rounded float.
 */
function code(options: CodeOptions): Schema<string> {
  const label = options.label ?? '编码';
  const lengths = options.digits === undefined ? undefined : ([] as number[]).concat(options.digits);
  // A fresh, non-global copy: a /g pattern's lastIndex would make test() alternate.
  const pattern = options.pattern && new RegExp(options.pattern.source, options.pattern.flags.replace(/[gy]/g, ''));
  const hint =
    options.hint ??
    (lengths ? `${lengths.join(' 位或 ')} 位数字` : pattern ? `符合格式 ${pattern.source}` : '加引号的文字');
  const expected = `${label}（${hint}，加引号）`;
  return {
    expected,
    read(node, ctx, path) {
      if (!isScalar(node)) return typeError(ctx, path, node, expected);
      const text = scalarText(node).trim();
      const loc = ctx.yaml.locOf(node);
      const explicitString = node.tag === 'tag:yaml.org,2002:str';
      if (!isQuoted(node) && !explicitString) {
        const asRead = String(node.value);
        const loss = typeof node.value !== 'string' && asRead !== text ? `不加引号会被读成 ${asRead}；` : '';
        return report(ctx, 'schema.code-not-string', path, loc,
          `${shown(path)}：${label} ${text} 必须加引号，请写成 "${text}"（${loss}编码一律加引号）。`);
      }
      const digitsOk = !lengths || (/^\d+$/.test(text) && lengths.includes(text.length));
      if (!digitsOk || (pattern && !pattern.test(text))) {
        return report(ctx, 'schema.code-format', path, loc,
          `${shown(path)}：${label}“${clip(text)}”格式不对，应为${spaced(hint)}${lengths && /^\d+$/.test(text) ? `（现为 ${text.length} 位）` : ''}。`);
      }
      return text;
    },
  };
}

export interface AmountOptions {
  /** Negative amounts (e.g. a decrease) are errors unless allowed. */
  allowNegative?: boolean;
  /** Default 2 (分). */
  maxDecimals?: number;
}

/** Why an amount's text is not a plain decimal, with what to write instead. */
function amountShapeHint(text: string): string {
  const t = text.trim();
  if (t === '') return '金额不能是空文字；没有数字时请留空（不写引号）';
  const hidden = invisibleCharacters(text);
  if (hidden) return `${hidden}，请删去${/^-?\d+(\.\d+)?$/.test(t) ? `，写成 ${t}` : ''}`;
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return `不要用千位分隔符，请写成 ${t.replace(/,/g, '')}`;
  if (/^[-+]?\d*\.?\d+e[-+]?\d+$/i.test(t)) return '不能用科学计数法，请写出完整的数字';
  if (/^[-+]?\.\d+$/.test(t)) return `小数点前要有数字，请写成 ${t.replace('.', '0.')}`;
  if (/^\+\d/.test(t)) return `不要写正号，请写成 ${t.slice(1)}`;
  if (/[０-９．]/.test(t)) return '请用半角数字和小数点（0-9 和 .）';
  const withUnit = /^(-?\d+(?:\.\d+)?)\s*(万元|元|万)$/.exec(t);
  if (withUnit) return `只写数字，不带单位；${inBothUnits(new Decimal(withUnit[1]!), withUnit[2] === '元' ? '元' : '万元')}`;
  return '金额只能写数字，如 12.34';
}

/** Characters that look like nothing (or like a plain space) in an editor, by their names. */
const INVISIBLE: Record<string, string> = {
  '\u3000': '全角空格', '\u00a0': '不换行空格', '\u200b': '零宽空格', '\ufeff': '零宽不换行空格', '\u2002': '半角空格（en）',
  '\u2003': '全角空格（em）', '\u2009': '窄空格', '\u202f': '窄不换行空格', '\t': '制表符', ' ': '空格',
};

/** Names the invisible characters of `text` and where they are (开头, 末尾, 中间), or '' when there are none. */
function invisibleCharacters(text: string): string {
  const chars = [...text];
  const found = chars.map((ch, i) => ({ ch, i })).filter(({ ch }) => ch in INVISIBLE);
  if (found.length === 0) return '';
  const where = (i: number) => (i === 0 ? '开头' : i === chars.length - 1 ? '末尾' : '中间');
  const named = [...new Set(found.map(({ ch, i }) => `${where(i)}有${INVISIBLE[ch]}（${codePointLabel(ch)}）`))];
  return named.join('、');
}

/** What to write for `value` given in `unit`, as the file's amount_unit (万元 or 元) decides. */
function inBothUnits(value: Decimal, unit: '万元' | '元'): string {
  const yuan = unit === '元' ? value : value.times(10000);
  const wan = yuan.dividedBy(10000);
  const wanText = wan.decimalPlaces() <= 2 ? wan.toFixed() : `${wan.toFixed()}（万元最多两位小数，须取舍）`;
  return `amount_unit 为万元时写 ${wanText}，为元时写 ${yuan.toFixed()}`;
}

/**
 * An amount, read from the scalar's source text into a Decimal (never through a JS
 * number). Plain or quoted; at most `maxDecimals` decimals; negative only if allowed.
 * Wrap in s.optional(...) for a figure that may be absent: absent is null, not zero.
 */
function amount(options: AmountOptions = {}): Schema<Decimal> {
  const { allowNegative = false, maxDecimals = 2 } = options;
  return leaf<Decimal>('金额', (text, node, ctx, path) => {
    const loc = ctx.yaml.locOf(node);
    const fail = (why: string): typeof INVALID => report(ctx, 'schema.amount', path, loc, `${shown(path)}：金额“${clip(text)}”无效：${why}。`);
    const m = /^-?\d+(?:\.(\d+))?$/.exec(text);
    if (!m) return fail(amountShapeHint(text));
    if ((m[1]?.length ?? 0) > maxDecimals) return fail(`最多 ${maxDecimals} 位小数`);
    if (text.startsWith('-') && !allowNegative) return fail('不能为负数');
    return new Decimal(text);
  });
}

/** The schema builders. */
export const s = {
  object,
  optional,
  list,
  tuple,
  record,
  transform,
  refine,
  string,
  int,
  boolean,
  enum: enumOf,
  date,
  code,
  amount,
};

// ---------------------------------------------------------------------------
// Loading

export interface SchemaReadResult<T> {
  /** Undefined when any finding is an error. */
  value?: T;
  findings: Finding[];
  /** Where the value at a field path (e.g. `projects[3].amount`) was written. */
  locate(path: string): SourceLoc | undefined;
  /** The field is written with no value (`special_transfers:`): located, but read as absent. */
  isBlank(path: string): boolean;
}

/** Reads a parsed YAML document with `schema`. */
export function readWithSchema<T>(yaml: YamlSource, schema: Schema<T>): SchemaReadResult<T> {
  const ctx: ReadContext = { yaml, findings: [], positions: new Map(), blank: new Set() };
  const rootLoc = yaml.locOf(yaml.root);
  const value = readField(schema, yaml.root, ctx, '', rootLoc, `${yaml.file}：没有数据。`);
  const locate = (path: string) => ctx.positions.get(path);
  const isBlank = (path: string) => ctx.blank.has(path);
  // Findings in file order, whichever order the schema visited them in.
  ctx.findings.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0));
  return value === INVALID || hasErrors(ctx.findings)
    ? { findings: ctx.findings, locate, isBlank }
    : { value, findings: ctx.findings, locate, isBlank };
}

export interface LoadResult<T> extends SchemaReadResult<T> {
  file: string;
  /** True when the file could not be read or parsed as YAML (as opposed to data that breaks the schema). */
  unreadable: boolean;
}

export interface LoadOptions extends ReadOptions, YamlLimits {}

const locateNothing = (): SourceLoc | undefined => undefined;
const blankNothing = (): boolean => false;

/** Parses `source` text as YAML and reads it with `schema` (for data held in memory). */
export function parseWithSchema<T>(source: SourceText, schema: Schema<T>, limits: YamlLimits = {}): LoadResult<T> {
  const parsed = parseYamlSource(source, limits);
  if (!parsed.yaml) return { file: source.file, findings: parsed.findings, locate: locateNothing, isBlank: blankNothing, unreadable: true };
  const read = readWithSchema(parsed.yaml, schema);
  return { ...read, findings: [...parsed.findings, ...read.findings], file: source.file, unreadable: false };
}

/** Reads, parses and checks one data file; never throws for bad input. */
export function loadYamlWithSchema<T>(file: string, schema: Schema<T>, options: LoadOptions = {}): LoadResult<T> {
  let source: SourceText;
  try {
    source = readSourceText(file, options);
  } catch (error) {
    if (error instanceof DataInputError) return { file, findings: error.findings, locate: locateNothing, isBlank: blankNothing, unreadable: true };
    throw error;
  }
  return parseWithSchema(source, schema, options);
}
