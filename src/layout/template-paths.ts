/**
 * Every field a text template names, looked up in the context it will be filled with, on every
 * branch: filling a text in checks only the branches this unit's values take, so a misspelt
 * field inside an {{#if}} the sample unit skips would pass `check` and fail later, in a batch of
 * other units. This walks the template's syntax tree instead, with the unit's context as the
 * example of its shape (a list's elements by the union of their fields).
 *
 * What cannot be known is let pass: a field whose value is empty here (null: it may hold more in
 * another unit), and the elements of a list that is empty here (narrative.ts gives the lists texts
 * loop over a stand-in element, so those are checked too).
 */
import { Decimal } from 'decimal.js';
import { nearest } from '../budget/schema.js';

export interface UnknownPath {
  /** The path as written ({{wan f.generalPublc.basic}} → f.generalPublc.basic). */
  path: string;
  /** Handlebars' position of the path: line 1-based, column 0-based. */
  loc: hbs.AST.SourceLocation;
  /** Why it does not resolve, in words: the missing field (with the nearest one), or what the value is instead. */
  problem: string;
}

/** Without a near name, the fields there are listed when they are at most this many. */
const LISTED_UP_TO = 12;

/** The shape of an empty list's elements, or of what lies under an empty value: not known here. */
const UNKNOWN = Symbol('unknown');

interface Scope {
  value: unknown;
  /** Block parameters ({{#each list as |item i|}}) and what each stands for. */
  params: Map<string, unknown>;
  parent: Scope | null;
}

export function unknownPaths(program: hbs.AST.Program, root: unknown, helpers: ReadonlySet<string>): UnknownPath[] {
  const found: UnknownPath[] = [];
  const rootScope: Scope = { value: root, params: new Map(), parent: null };

  const resolve = (path: hbs.AST.PathExpression, scope: Scope): unknown => {
    if (path.data) {
      // @root.f.basic is the context itself; @index, @key, @first … are Handlebars' own.
      return path.parts[0] === 'root' ? follow(path, ['@root', ...path.parts.slice(1)], root, 1) : UNKNOWN;
    }
    let here = scope;
    for (let d = 0; d < path.depth && here.parent; d++) here = here.parent;
    const explicitThis = /^(?:this|\.)(?:[./]|$)/.test(path.original);
    const head = path.parts[0];
    if (!explicitThis && path.depth === 0 && head !== undefined) {
      for (let s: Scope | null = scope; s; s = s.parent) {
        if (s.params.has(head)) return follow(path, path.parts, s.params.get(head), 1);
      }
    }
    return follow(path, path.parts, here.value, 0);
  };

  /** The value at `parts[start..]` below `value`; records the path when a part does not exist. */
  const follow = (path: hbs.AST.PathExpression, parts: readonly string[], value: unknown, start: number): unknown => {
    let here = value;
    for (let i = start; i < parts.length; i++) {
      if (here === UNKNOWN || here === null || here === undefined) return UNKNOWN;
      const part = parts[i]!;
      const problem = missingPart(here, parts, i);
      if (problem) {
        // Inside {{#each}} or {{#with}} a plain name is looked up in the element, not the whole context.
        const outer = i === 0 && start === 0 && here !== root && isRecord(root) && part in root;
        found.push({ path: path.original, loc: path.loc, problem: outer ? `${problem}；在 {{#each}} 或 {{#with}} 之内，外层的字段要写 @root.${path.parts.join('.')}` : problem });
        return UNKNOWN;
      }
      here = Array.isArray(here) ? (part === 'length' ? here.length : elementOf(here)) : typeof here === 'string' ? here.length : (here as Record<string, unknown>)[part];
    }
    return here;
  };

  const expression = (node: hbs.AST.Expression, scope: Scope): unknown => {
    if (node.type === 'PathExpression') return resolve(node as hbs.AST.PathExpression, scope);
    if (node.type === 'SubExpression') {
      call(node as hbs.AST.SubExpression, scope);
      return UNKNOWN;
    }
    return UNKNOWN; // a literal
  };

  /** A helper call's arguments (its name is checked elsewhere: unknownHelperCall). */
  const call = (node: { params: hbs.AST.Expression[]; hash?: hbs.AST.Hash }, scope: Scope): unknown[] => {
    const values = node.params.map((p) => expression(p, scope));
    for (const pair of node.hash?.pairs ?? []) expression(pair.value, scope);
    return values;
  };

  const isHelperCall = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement): boolean => {
    const path = node.path as hbs.AST.PathExpression;
    if (path.type !== 'PathExpression') return false;
    return node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || (!path.data && path.parts.length === 1 && helpers.has(path.original));
  };

  const block = (node: hbs.AST.BlockStatement, scope: Scope): void => {
    let inner: unknown;
    let changesContext = false;
    const name = (node.path as hbs.AST.PathExpression).original;
    if (isHelperCall(node)) {
      const [first] = call(node, scope);
      if (name === 'each') {
        inner = first === UNKNOWN || first === null || first === undefined ? UNKNOWN : Array.isArray(first) ? elementOf(first) : elementOf(Object.values(first as object));
        changesContext = true;
      } else if (name === 'with') {
        inner = first;
        changesContext = true;
      }
    } else {
      // {{#field}}…{{/field}}: Handlebars iterates a list, enters an object, tests anything else.
      const value = expression(node.path, scope);
      changesContext = value === UNKNOWN || (typeof value === 'object' && value !== null && !(value instanceof Decimal));
      inner = Array.isArray(value) ? elementOf(value) : value;
    }
    const params = new Map<string, unknown>();
    if (name === 'each') (node.program.blockParams ?? []).forEach((p, i) => params.set(p, i === 0 ? inner : UNKNOWN));
    else if (changesContext && node.program.blockParams?.[0]) params.set(node.program.blockParams[0], inner);
    // Only a block that changes the context is a level for ../ (as in Handlebars 4): {{#if}} is not.
    walk(node.program, changesContext ? { value: inner, params, parent: scope } : scope);
    if (node.inverse) walk(node.inverse, scope);
  };

  const walk = (program: hbs.AST.Program, scope: Scope): void => {
    for (const statement of program.body) {
      if (statement.type === 'MustacheStatement') {
        const node = statement as hbs.AST.MustacheStatement;
        if (isHelperCall(node)) call(node, scope);
        else expression(node.path, scope);
      } else if (statement.type === 'BlockStatement') {
        block(statement as hbs.AST.BlockStatement, scope);
      }
    }
  };

  walk(program, rootScope);
  return found;
}

/** What stands for every element of a list: the union of their fields, the first value of each that is not empty. */
function elementOf(list: readonly unknown[]): unknown {
  if (list.length === 0) return UNKNOWN;
  const objects = list.filter(isRecord);
  if (objects.length < list.length) return list.find((e) => e !== null && e !== undefined) ?? UNKNOWN;
  const union: Record<string, unknown> = {};
  for (const element of objects) {
    for (const [key, value] of Object.entries(element)) if (union[key] === undefined || union[key] === null) union[key] = value;
  }
  return union;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Decimal);
}

/** Why `parts[i]` cannot be looked up in `value` (what parts[0..i) reached), or null when it can. */
function missingPart(value: unknown, parts: readonly string[], i: number): string | null {
  const part = parts[i]!;
  const before = parts.slice(0, i).join('.');
  const at = before ? `${before}.` : '';
  const what = before ? `“${before}”` : '这里的值（{{this}}）';
  if (Array.isArray(value)) {
    if (part === 'length' || /^\d+$/.test(part)) return null;
    return `${what}是列表，没有字段“${part}”：逐项用 {{#each ${before || 'this'}}}…{{/each}}，项数用 ${at}length`;
  }
  if (typeof value === 'string') return part === 'length' ? null : `${what}是文字，没有字段“${part}”`;
  if (!isRecord(value)) {
    const kind = value instanceof Decimal ? '金额' : typeof value === 'number' ? '数字' : '值';
    return `${what}是${kind}，没有下一级字段“${part}”`;
  }
  if (part in value) return null;
  const keys = Object.keys(value);
  const near = nearest(part, keys);
  const suggestion = near
    ? `，是否应为“${[`${at}${near}`, ...parts.slice(i + 1)].join('.')}”`
    : keys.length <= LISTED_UP_TO ? `；${before ? `“${before}”下` : ''}可用的字段：${keys.map((k) => `“${k}”`).join('、')}` : '';
  return `字段“${at}${part}”不存在（拼写错误？）${suggestion}`;
}
