/**
 * A template author's Handlebars mistakes as findings at their file and line: syntax errors,
 * helpers that do not exist, fields that do not exist. Handlebars reports them as exceptions
 * with its own positions; this is where they become messages a template author can act on.
 */
import Handlebars from 'handlebars';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { nearest } from '../budget/schema.js';
import { HELPER_NAMES, MissingArgument } from './text-helpers.js';

/**
 * The first call of a helper that does not exist ({{wnan x}}, {{#iff …}}, (summ a b)), as the error
 * Handlebars gives for it with knownHelpersOnly, or null. A call is a path with arguments; a bare
 * {{name}} is a field, which strict mode checks when the text is filled in.
 */
export function unknownHelperCall(program: hbs.AST.Program, known: Record<string, boolean>): Error | null {
  let found: Error | null = null;
  const visitor = new Handlebars.Visitor();
  const look = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression): void => {
    const path = node.path as hbs.AST.PathExpression;
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (!found && isCall && path.type === 'PathExpression' && !path.data && path.parts.length === 1 && !known[path.original]) {
      found = Object.assign(new Error(`You specified knownHelpersOnly, but used the unknown helper ${path.original}`), {
        lineNumber: node.loc.start.line,
        column: node.loc.start.column,
      });
    }
  };
  // Visitor's own methods walk the children; ours look first, then let it go on.
  const walk = (base: (node: never) => unknown) =>
    function (this: unknown, node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression) {
      look(node);
      return base.call(this, node as never);
    };
  const v = visitor as unknown as Record<string, (node: never) => unknown>;
  v.MustacheStatement = walk(v.MustacheStatement!);
  v.BlockStatement = walk(v.BlockStatement!);
  v.SubExpression = walk(v.SubExpression!);
  visitor.accept(program);
  return found;
}

/** Where in a template an error happened, from Handlebars' messages (`Parse error on line 3:`, `… - 3:17`). */
function errorPlace(error: unknown, base: SourceLoc): SourceLoc {
  const e = error as { lineNumber?: number; column?: number; message?: string };
  const lineOffset = base.line - 1;
  if (typeof e.lineNumber === 'number') {
    return { file: base.file, line: e.lineNumber + lineOffset, col: (e.column ?? 0) + (e.lineNumber === 1 ? base.col : 1) };
  }
  const m = /Parse error on line (\d+)/.exec(e.message ?? '');
  if (m) return { file: base.file, line: Number(m[1]) + lineOffset, col: Number(m[1]) === 1 ? base.col : 1 };
  return base;
}

/**
 * A Handlebars compile or runtime error as a template finding, at its file and line. A field that
 * does not exist is named with the nearest one by template-paths.ts, before an error gets here.
 */
export function templateFinding(error: unknown, base: SourceLoc, what: string, source?: string): Finding {
  const loc = errorPlace(error, base);
  if (error instanceof MissingArgument) {
    const start = error.loc?.start;
    const at = start ? { file: base.file, line: start.line + base.line - 1, col: start.column + (start.line === 1 ? base.col : 1) } : loc;
    const expression = source !== undefined && error.loc ? excerpt(source, error.loc) : `{{${error.helper} …}}`;
    return {
      rule: 'template.missing-value', severity: 'error', loc: at,
      message: `${what}：${expression} 中 ${error.helper} 的第 ${error.position} 个参数没有值，所写的字段不存在（拼写错误？）。`,
    };
  }
  const message = (error as Error).message ?? String(error);
  const unknownHelper = /unknown helper (\S+)/.exec(message);
  if (unknownHelper) {
    const near = nearest(unknownHelper[1]!, HELPER_NAMES);
    return {
      rule: 'template.unknown-helper', severity: 'error', loc,
      message: `${what}：没有名为“${unknownHelper[1]}”的 helper；${near ? `是否应为“${near}”？` : ''}可用的 helper：${HELPER_NAMES.join('、')}。`,
    };
  }
  const notDefined = /^"([^"]+)" not defined/.exec(message);
  if (notDefined) {
    // Handlebars names only the last part of the path: the whole one is in the source.
    const last = notDefined[1]!;
    const field = source === undefined ? undefined : new RegExp(`[\\w.]*\\b${last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).exec(source)?.[0];
    return { rule: 'template.missing-value', severity: 'error', loc, message: `${what}：字段“${field ?? last}”不存在（拼写错误？）。` };
  }
  const parse = /^Parse error on line \d+:\n([\s\S]*)$/.exec(message);
  const detail = (parse ? parse[1]! : message).replace(/\s*- \d+:\d+$/, '');
  return { rule: 'template.syntax', severity: 'error', loc, message: `${what}：Handlebars 语法错误：${detail}` };
}

/** The text of a template between two Handlebars locations (lines 1-based, columns 0-based). */
function excerpt(source: string, loc: NonNullable<MissingArgument['loc']>): string {
  const lines = source.split('\n');
  if (loc.start.line === loc.end.line) return lines[loc.start.line - 1]?.slice(loc.start.column, loc.end.column) ?? '';
  return [lines[loc.start.line - 1]?.slice(loc.start.column), ...lines.slice(loc.start.line, loc.end.line - 1), lines[loc.end.line - 1]?.slice(0, loc.end.column)].join('\n');
}
