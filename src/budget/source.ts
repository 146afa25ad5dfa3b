/**
 * Reading a data file: bytes → UTF-8 text → one YAML document whose every node
 * can be pointed at by file:line:col. Anything that stops a file from being read
 * or parsed becomes a Finding with a Chinese message (never a stack trace);
 * `schema.ts` then walks the parsed document.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import {
  isAlias,
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node as YamlNode,
  type ParsedNode,
  type YAMLError,
} from 'yaml';
import type { Finding, SourceLoc } from './findings.js';

/** A budget file is a few dozen KB; anything this large is the wrong file or an attack. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export interface SourceText {
  /** The path as the user gave it; every SourceLoc names it. */
  file: string;
  /** Decoded text, BOM removed. */
  text: string;
}

/** Thrown by readSourceText when the file cannot be turned into text; carries the findings to print. */
export class DataInputError extends Error {
  readonly findings: Finding[];
  constructor(findings: Finding[]) {
    super(findings.map((f) => f.message).join('\n'));
    this.name = 'DataInputError';
    this.findings = findings;
  }
}

export interface ReadOptions {
  maxBytes?: number;
}

function inputError(rule: string, message: string, loc?: SourceLoc): DataInputError {
  return new DataInputError([{ rule, severity: 'error', message, ...(loc ? { loc } : {}) }]);
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} 字节`;
}

/**
 * Reads `file` as UTF-8 text. Refuses (DataInputError) a missing file, a directory,
 * a file over `maxBytes` (judged from fs.stat, before reading), a PDF, text that is not
 * UTF-8, and an empty file. A UTF-8 BOM is accepted and stripped.
 */
export function readSourceText(file: string, options: ReadOptions = {}): SourceText {
  const maxBytes = options.maxBytes ?? MAX_SOURCE_BYTES;
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw directoryError(file);
    if (!stat.isFile()) throw inputError('input.not-file', `${file} 不是普通文件，请给出 YAML 数据文件的路径。`);
    if (stat.size > maxBytes) throw tooLargeError(file, stat.size, maxBytes);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof DataInputError) throw error;
    throw fsError(file, error);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) throw tooLargeError(file, bytes.length, maxBytes);
  // The PDF where its data was meant (`render out.pdf`): say so, not "not UTF-8, re-save it".
  if (isPdf(bytes)) {
    throw inputError(
      'input.pdf',
      `${file} 是 PDF 文件，不是数据文件；render 和 check 要的是单位的 YAML 数据文件（例如 data/luolong-zwfwzx-2022.yaml），PDF 是 render 生成的结果。`,
    );
  }
  const text = decodeUtf8(file, bytes);
  if (text.trim() === '') {
    throw inputError('input.empty', `${file} 是空文件，没有任何数据；请确认给出的是已填写的预算数据文件。`);
  }
  return { file, text };
}

const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1');

function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, PDF_SIGNATURE.length).equals(PDF_SIGNATURE);
}

function directoryError(file: string): DataInputError {
  let listing = '';
  try {
    const yamlFiles = readdirSync(file).filter((name) => /\.ya?ml$/i.test(name)).sort();
    if (yamlFiles.length > 0) {
      const shown = yamlFiles.slice(0, 5).join('、') + (yamlFiles.length > 5 ? ' 等' : '');
      listing = `该文件夹中的 YAML 文件：${shown}。`;
    }
  } catch {
    // Listing is only a hint; an unreadable directory still gets the main message.
  }
  return inputError('input.directory', `${file} 是文件夹，不是文件；请给出其中某个 YAML 数据文件的路径。${listing}`);
}

function tooLargeError(file: string, size: number, maxBytes: number): DataInputError {
  return inputError(
    'input.too-large',
    `${file} 大小为 ${formatSize(size)}，超过上限 ${formatSize(maxBytes)}；预算数据文件通常只有几十 KB，请确认给出的是正确的文件。`,
  );
}

function fsError(file: string, error: unknown): DataInputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    const target = brokenLinkTarget(file);
    if (target !== undefined) {
      return inputError('input.missing', `${file} 是符号链接（快捷方式），它指向的 ${target} 不存在；请改正或删除这个链接。`);
    }
    return inputError('input.missing', `找不到文件 ${file}；请检查路径和文件名（包括扩展名 .yaml）。`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return inputError('input.unreadable', `没有权限读取 ${file}；请检查文件权限。`);
  }
  if (code === 'EISDIR') return directoryError(file);
  if (code === 'ELOOP') {
    return inputError('input.unreadable', `无法读取 ${file}：路径中的符号链接（快捷方式）循环指向自己；请给出实际数据文件的路径。`);
  }
  // The system's own message is English; the code is enough for whoever must look it up.
  return inputError('input.unreadable', `无法读取 ${file}（系统错误 ${code ?? '未知'}）；请检查路径和文件。`);
}

/** Where `file` points when it is itself a symbolic link (whose target is then missing). */
function brokenLinkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function decodeUtf8(file: string, bytes: Buffer): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw inputError(
      'input.encoding',
      `${file} 是 UTF-16 编码；请用记事本或 WPS “另存为”并选择 UTF-8 编码后重试。`,
      { file, line: 1, col: 1 },
    );
  }
  try {
    // fatal: refuse instead of silently replacing bytes; the default ignoreBOM=false strips a BOM.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw encodingError(file, bytes);
  }
}

function encodingError(file: string, bytes: Buffer): DataInputError {
  const offset = firstInvalidUtf8Offset(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const line = countByte(bytes, 0x0a, offset) + 1;
  // Everything before `offset` is valid UTF-8, so the column can be counted in characters.
  const col = Array.from(new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset))).length + 1;
  let guess = '';
  const gbText = decodeGb18030(bytes);
  if (gbText !== undefined) {
    const lineText = gbText.split(/\r?\n/)[line - 1]?.trim() ?? '';
    const shown = lineText.length > 30 ? `${lineText.slice(0, 30)}…` : lineText;
    guess = `看起来是 GBK（GB18030）编码${shown ? `，该行按 GBK 读出为“${shown}”` : ''}。`;
  }
  return inputError(
    'input.encoding',
    `${file} 不是 UTF-8 编码：第 ${line} 行（文件第 ${offset} 字节处）的内容无法按 UTF-8 读取。${guess}` +
      `请用记事本或 WPS “另存为”并选择 UTF-8 编码后重试。`,
    { file, line, col },
  );
}

function countByte(bytes: Uint8Array, byte: number, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === byte) n++;
  return n;
}

function decodeGb18030(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
  } catch {
    return undefined; // not GBK either, or this Node has no GB18030 decoder
  }
}

/** Byte offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number; // smallest allowed second byte (excludes overlong forms)
    let max: number; // largest allowed second byte (excludes surrogates and > U+10FFFF)
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min, max] = [1, 0x80, 0xbf];
    else if (b === 0xe0) [need, min, max] = [2, 0xa0, 0xbf];
    else if (b === 0xed) [need, min, max] = [2, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [need, min, max] = [2, 0x80, 0xbf];
    else if (b === 0xf0) [need, min, max] = [3, 0x90, 0xbf];
    else if (b >= 0xf1 && b <= 0xf3) [need, min, max] = [3, 0x80, 0xbf];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

// ---------------------------------------------------------------------------
// YAML

export interface YamlLimits {
  /** Alias uses (`*name`) allowed in one file. */
  maxAliasCount?: number;
  /** Nodes that alias expansion may add to the document (guards against "billion laughs"). */
  maxAliasExpansion?: number;
  /** Nesting depth of mappings and lists. */
  maxDepth?: number;
}

const DEFAULT_LIMITS: Required<YamlLimits> = { maxAliasCount: 100, maxAliasExpansion: 10_000, maxDepth: 64 };

/** A parsed, error-free YAML document with a non-empty root. */
export interface YamlSource {
  file: string;
  text: string;
  root: ParsedNode;
  /** Position of a character offset in `text`. */
  locAt(offset: number): SourceLoc;
  /** Position where a node starts. */
  locOf(node: YamlNode): SourceLoc;
  /** The anchored node an alias stands for (aliases are checked during parsing, so this is defined). */
  resolveAlias(alias: Alias): ParsedNode | undefined;
}

export interface YamlParseResult {
  /** Undefined when the text cannot be used (any error finding). */
  yaml?: YamlSource;
  /** Errors, or warnings that do not stop reading. */
  findings: Finding[];
}

/**
 * Parses one YAML document. Syntax errors name line and column and show the
 * offending line with a caret; duplicate keys name both lines; alias bombs,
 * unresolved or self-referencing aliases and absurd nesting are refused before
 * anything expands them; a document of only comments is empty.
 */
export function parseYamlSource(source: SourceText, limits: YamlLimits = {}): YamlParseResult {
  const { file, text } = source;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const locAt = (offset: number): SourceLoc => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: Math.max(line, 1), col };
  };
  const locOf = (node: YamlNode): SourceLoc => locAt(node.range?.[0] ?? 0);

  const findings: Finding[] = [];
  const syntax = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  // After the first syntax error the parser's further complaints are mostly echoes of it.
  if (syntax.length > 0) findings.push(syntaxFinding(file, text, syntax[0], locAt));
  for (const e of doc.errors) if (e.code === 'DUPLICATE_KEY') findings.push(duplicateKeyFinding(doc, e, locAt));
  for (const w of doc.warnings) {
    findings.push({
      rule: 'yaml.warning',
      severity: 'warning',
      message: `YAML 提示：${firstLine(w.message)}`,
      loc: locAt(w.pos[0]),
    });
  }
  if (findings.some((f) => f.severity === 'error')) return { findings };

  const root = doc.contents;
  if (root === null) {
    findings.push({
      rule: 'input.empty',
      severity: 'error',
      message: `${file} 只有注释，没有任何数据；请填写预算数据。`,
      loc: { file, line: 1, col: 1 },
    });
    return { findings };
  }

  const aliases = checkAliases(doc, root, locOf, { ...DEFAULT_LIMITS, ...limits });
  findings.push(...aliases.findings);
  if (aliases.findings.length > 0) return { findings };

  return {
    yaml: { file, text, root, locAt, locOf, resolveAlias: (alias) => aliases.targets.get(alias) },
    findings,
  };
}

function firstLine(message: string): string {
  // prettyErrors appends " at line L, column C:" and a context block; keep the parser's own sentence.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** What a parser error code means, in words a finance officer can act on. */
const SYNTAX_HINTS: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: '缩进里有制表符（Tab）；YAML 只能用空格缩进，请把 Tab 换成空格',
  BAD_INDENT: '缩进不对：同一层的字段必须从同一列开始，列表和括号要按层级缩进',
  BLOCK_AS_IMPLICIT_KEY: '一行里出现了两个“键: 值”；值里含“: ”时请给值加引号，嵌套的字段请另起一行并缩进',
  MULTILINE_IMPLICIT_KEY: '字段名必须写在一行内；可能是这一行或上一行的缩进不对，或值缺少引号',
  MISSING_CHAR: '缺少配对的符号（引号或括号没有闭合）',
  UNEXPECTED_TOKEN: '这里出现了意外的内容；请检查缩进以及“- ”和“: ”的位置',
  MULTIPLE_DOCS: '一个文件只能有一份数据；请删除多余的“---”分隔线',
  BAD_DQ_ESCAPE: '双引号里的反斜杠转义无效；含反斜杠的文字请改用单引号',
  BAD_SCALAR_START: '值不能以这个符号开头；请给值加引号',
  BLOCK_IN_FLOW: '方括号或花括号里不能换行写成块结构',
  KEY_OVER_1024_CHARS: '字段名太长（超过 1024 个字符），多半是缺少冒号或引号',
  NON_STRING_KEY: '字段名必须是文字',
  TAG_RESOLVE_FAILED: '无法识别以“!”开头的标签；如果这是文字，请加引号',
  BAD_DIRECTIVE: '以“%”开头的行不是有效的 YAML 指令；如果这是文字，请加引号',
  RESOURCE_EXHAUSTION: '嵌套层数太多，无法读取',
  ALIAS_PROPS: '别名（*名称）不能带锚点或标签',
  BAD_ALIAS: '锚点（&名称）或别名（*名称）写法不正确',
  MULTIPLE_ANCHORS: '一个值只能有一个锚点（&名称）',
  MULTIPLE_TAGS: '一个值只能有一个标签（!标签）',
  BAD_PROP_ORDER: '锚点和标签必须写在值的前面',
};

/** Lines of a YAML text, 1-based by `line(n)`, and the helpers every hint below needs. */
class TextLines {
  readonly lines: readonly string[];

  constructor(text: string) {
    this.lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  }

  line(n: number): string {
    return this.lines[n - 1] ?? '';
  }

  /** Neither blank nor a comment. */
  isContent(n: number): boolean {
    const t = this.line(n).trim();
    return n >= 1 && n <= this.lines.length && t !== '' && !t.startsWith('#');
  }

  /** The nearest content line after (step 1) or before (step -1) line `n`, or 0 when there is none. */
  nextContent(n: number, step: 1 | -1): number {
    for (let k = n + step; k >= 1 && k <= this.lines.length; k += step) if (this.isContent(k)) return k;
    return 0;
  }

  /** Spaces before the first character of line `n`. */
  indent(n: number): number {
    return this.line(n).length - this.line(n).trimStart().length;
  }

  /** Line `n` as a mapping key line (`  reception: 2.50` → 2, reception), or null. */
  key(n: number): { indent: number; key: string } | null {
    const m = /^( *)([^\s#:-][^:#]*?):(?:\s|$)/.exec(this.line(n));
    return m ? { indent: m[1]!.length, key: m[2]! } : null;
  }
}

/** The line to blame for a syntax error YAML reports elsewhere, with what to say (and the column, if not the line's first character). */
interface Culprit {
  line: number;
  col?: number;
  hint: string;
}

/**
 * A hint from the text around the error, for the mistakes whose parser error names a symptom
 * elsewhere: a full-width colon after a key reads as part of the key (so the parser wants a value
 * that never comes), and a list item indented differently from the items above it reads as a
 * new key of the mapping around the list.
 */
function hintFromText(text: TextLines, at: number): string | undefined {
  const line = text.line(at);
  const previous = text.line(text.nextContent(at, -1));
  for (const candidate of [line, previous]) {
    const fullWidth = /^\s*(?:- )?([A-Za-z_][\w.-]*)\s*：/.exec(candidate);
    if (fullWidth) return `“${fullWidth[1]}：”用了全角冒号；字段名后要用半角冒号加空格，写成“${fullWidth[1]}: ”`;
  }
  const item = /^(\s*)- /.exec(line);
  const previousItem = /^(\s*)- /.exec(previous);
  if (item && previousItem && item[1]!.length !== previousItem[1]!.length) {
    return `这一行的“- ”从第 ${item[1]!.length + 1} 列开始，上一行的从第 ${previousItem[1]!.length + 1} 列开始；同一列表的各项要缩进到同一列`;
  }
  return undefined;
}

/**
 * The line whose indentation is wrong, when the parser's error is only its symptom: a key dedented
 * out of its mapping, a key indented further than the key with a value above it (read as part of
 * that value), or a key indented differently from its siblings above and below it.
 */
function misindentedLine(text: TextLines, at: number, code: YAMLError['code']): Culprit | undefined {
  const here = text.key(at);
  if (!here) return undefined;
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    const next = text.nextContent(at, 1);
    const previous = text.nextContent(at, -1);
    const below = text.key(next);
    const above = text.key(previous);
    // This key dedented out of a mapping whose keys are above and below it (scope: at column 1 under unit:).
    if (below && above && above.indent === below.indent && below.indent > here.indent) {
      return { line: at, hint: `第 ${at} 行的“${here.key}”缩进 ${here.indent} 格，上下同一层的“${above.key}”（第 ${previous} 行）和“${below.key}”（第 ${next} 行）缩进 ${below.indent} 格；同一层的字段必须从同一列开始` };
    }
    if (below && below.indent > here.indent) {
      return { line: next, hint: `第 ${next} 行的“${below.key}”缩进 ${below.indent} 格，比第 ${at} 行的“${here.key}”多 ${below.indent - here.indent} 格；同一层的字段必须从同一列开始（“${here.key}”已有值，下面不能再缩进）` };
    }
    return undefined;
  }
  if (code !== 'BAD_INDENT') return undefined;
  // Up to the nearest key less indented than this one: the parent, or a sibling out of line.
  let odd = text.nextContent(at, -1);
  while (odd > 0 && !((text.key(odd)?.indent ?? Infinity) < here.indent)) odd = text.nextContent(odd, -1);
  const oddKey = text.key(odd);
  if (!oddKey) return undefined;
  // That key's first child at another column: this line is the odd one.
  const first = text.nextContent(odd, 1);
  const sibling = first < at ? text.key(first) : null;
  if (sibling && sibling.indent > oddKey.indent && sibling.indent !== here.indent) {
    return { line: at, hint: `第 ${at} 行的“${here.key}”缩进 ${here.indent} 格，同一层的“${sibling.key}”（第 ${first} 行）缩进 ${sibling.indent} 格；同一层的字段必须从同一列开始` };
  }
  // A sibling at this line's column above it: that key is the odd one, not the parent.
  for (let n = text.nextContent(odd, -1); n > 0 && text.indent(n) >= oddKey.indent; n = text.nextContent(n, -1)) {
    const above = text.key(n);
    if (above && above.indent === here.indent) {
      return { line: odd, hint: `第 ${odd} 行的“${oddKey.key}”缩进 ${oddKey.indent} 格，同一层的“${above.key}”（第 ${n} 行）和“${here.key}”（第 ${at} 行）缩进 ${here.indent} 格；同一层的字段必须从同一列开始` };
    }
  }
  return undefined;
}

/**
 * An opening [ or { that no bracket closes, which YAML reports at the next key as an indentation
 * error: the line that opens it (the nearest above with more openers than closers) and what to do.
 */
function unclosedBracket(text: TextLines, at: number, message: string): Culprit | undefined {
  const closer = /end with a ([\]}])/.exec(message)?.[1];
  if (!closer) return undefined;
  const opener = closer === ']' ? '[' : '{';
  // An opener on the reported line itself is where YAML already points (a wrong closer there).
  for (let n = at - 1; n > 0; n--) {
    const bare = text.line(n).replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '').replace(/\s#.*$/, '');
    if (bare.split(opener).length > bare.split(closer).length) {
      return { line: n, col: text.line(n).lastIndexOf(opener) + 1, hint: `第 ${n} 行的“${opener}”没有闭合：请补上“${closer}”${opener === '[' ? '，或改成每项一行的“- ”列表' : ''}` };
    }
  }
  return undefined;
}

function syntaxFinding(file: string, text: string, error: YAMLError, locAt: (offset: number) => SourceLoc): Finding {
  const reported = locAt(error.pos[0]);
  const lines = new TextLines(text);
  const culprit = unclosedBracket(lines, reported.line, error.message) ?? misindentedLine(lines, reported.line, error.code);
  const loc = culprit ? { ...reported, line: culprit.line, col: culprit.col ?? lines.indent(culprit.line) + 1 } : reported;
  const hint = culprit?.hint ?? hintFromText(lines, loc.line) ?? SYNTAX_HINTS[error.code] ?? 'YAML 格式错误';
  return {
    rule: 'yaml.syntax',
    severity: 'error',
    message: `YAML 语法错误（第 ${loc.line} 行第 ${loc.col} 列）：${hint}。[${firstLine(error.message)}]\n${codeFrame(text, loc)}`,
    loc,
  };
}

/** Characters of a line a code frame shows at most: a longer line is cut to a window around the column. */
const FRAME_WIDTH = 100;

/**
 * `line` cut to FRAME_WIDTH characters around UTF-16 offset `at` (the column), with ... where it
 * was cut; `before` is the shown text left of the column, for placing the caret.
 */
function clipAround(line: string, at: number): { shown: string; before: string } {
  const head = Array.from(line.slice(0, at));
  const tail = Array.from(line.slice(at));
  if (head.length + tail.length <= FRAME_WIDTH) return { shown: line, before: line.slice(0, at) };
  const keepTail = Math.min(tail.length, Math.ceil(FRAME_WIDTH / 2));
  const keepHead = Math.min(head.length, FRAME_WIDTH - keepTail);
  const before = (keepHead < head.length ? '...' : '') + head.slice(head.length - keepHead).join('');
  const after = tail.slice(0, FRAME_WIDTH - keepHead).join('') + (keepHead + tail.length > FRAME_WIDTH ? '...' : '');
  return { shown: before + after, before };
}

/**
 * The offending line with a caret under the column (CJK characters count as two
 * columns), after the line before it: an unclosed quote or bracket is reported at
 * the next line, which is often blank. Long lines are shown around the column only,
 * so a 200 000-character line does not make a 400 KB message.
 */
export function codeFrame(text: string, loc: SourceLoc): string {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const at = loc.col - 1;
  const line = clipAround(lines[loc.line - 1] ?? '', at);
  const pad = Array.from(line.before).map((ch) => (ch === '\t' ? '\t' : isWide(ch) ? '  ' : ' ')).join('');
  const width = String(loc.line).length;
  const numbered = (n: number, shown: string) => `  ${String(n).padStart(width)} | ${shown}`;
  const frame = loc.line > 1 ? [numbered(loc.line - 1, clipAround(lines[loc.line - 2], Math.min(at, lines[loc.line - 2].length)).shown)] : [];
  frame.push(numbered(loc.line, line.shown), `  ${' '.repeat(width)} | ${pad}^`);
  return frame.join('\n');
}

function isWide(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

function keyText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return node.source ?? String(node.value);
}

/** The parser reports only the second key; find the first one so both lines can be named. */
function duplicateKeyFinding(doc: Document.Parsed, error: YAMLError, locAt: (offset: number) => SourceLoc): Finding {
  const loc = locAt(error.pos[0]);
  let key: string | undefined;
  let first: SourceLoc | undefined;
  visit(doc, {
    Map(_, map) {
      const index = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.range?.[0] === error.pos[0]);
      if (index < 0) return undefined;
      key = keyText(map.items[index].key);
      const earlier = map.items.slice(0, index).find((pair) => keyText(pair.key) === key);
      if (isScalar(earlier?.key) && earlier.key.range) first = locAt(earlier.key.range[0]);
      return visit.BREAK;
    },
  });
  const named = key === undefined ? '同一个字段' : `字段“${key}”`;
  const where = first ? `第 ${first.line} 行和第 ${loc.line} 行` : `第 ${loc.line} 行`;
  return {
    rule: 'yaml.duplicate-key',
    severity: 'error',
    message: `${named}在同一层写了两次（${where}）；请删除或合并其中一处。`,
    loc,
    ...(first ? { related: [first] } : {}),
  };
}

interface AliasCheck {
  findings: Finding[];
  targets: Map<Alias, ParsedNode>;
}

/**
 * Resolves every alias once (an alias means the nearest anchor of that name before it)
 * and measures what expanding them would cost, without expanding anything: node
 * counts are memoised per anchored node, so a billion-laughs document is measured
 * in microseconds and refused.
 */
function checkAliases(
  doc: Document.Parsed,
  root: ParsedNode,
  locOf: (node: YamlNode) => SourceLoc,
  limits: Required<YamlLimits>,
): AliasCheck {
  const findings: Finding[] = [];
  const targets = new Map<Alias, ParsedNode>();
  const anchors = new Map<string, ParsedNode>();
  let aliasCount = 0;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        aliasCount++;
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
        else {
          findings.push({
            rule: 'yaml.alias',
            severity: 'error',
            message: `别名 *${node.source} 没有对应的锚点；锚点 &${node.source} 必须写在别名之前。`,
            loc: locOf(node),
          });
        }
        if (aliasCount === limits.maxAliasCount + 1) {
          findings.push({
            rule: 'yaml.alias-limit',
            severity: 'error',
            message: `别名（*名称）用得太多（超过 ${limits.maxAliasCount} 处）；请直接写出数据。`,
            loc: locOf(node),
          });
        }
      } else if (node.anchor) {
        anchors.set(node.anchor, node as ParsedNode);
      }
      return undefined;
    },
  });
  if (findings.length > 0) return { findings, targets };

  const size = new Map<YamlNode, number>();
  const inProgress = new Set<YamlNode>();
  let worstAlias: Alias | undefined;
  let worstSize = 0;
  let problem: Finding | undefined;
  // Expanded node count of `node`; stops early once a problem is found.
  const measure = (node: unknown, depth: number): number => {
    if (problem) return 0;
    if (isPair(node)) return measure(node.key, depth) + measure(node.value, depth);
    if (!isAlias(node) && !isCollection(node)) return 1;
    const known = size.get(node);
    if (known !== undefined) return known;
    if (depth > limits.maxDepth) {
      problem = {
        rule: 'yaml.too-deep',
        severity: 'error',
        message: `嵌套超过 ${limits.maxDepth} 层；预算数据不需要这么深的层级，请检查缩进。`,
        loc: locOf(node),
      };
      return 0;
    }
    if (inProgress.has(node)) {
      problem = {
        rule: 'yaml.alias',
        severity: 'error',
        message: '别名引用了包含它自己的锚点，会无限展开；请直接写出数据。',
        loc: locOf(node),
      };
      return 0;
    }
    inProgress.add(node);
    let n: number;
    if (isAlias(node)) {
      n = measure(targets.get(node), depth + 1);
      if (n > worstSize) [worstAlias, worstSize] = [node, n];
    } else {
      n = 1;
      for (const item of node.items) n += measure(item, depth + 1);
    }
    inProgress.delete(node);
    size.set(node, n);
    return n;
  };
  let plainNodes = 0;
  visit(doc, { Node: () => void plainNodes++ });
  const expanded = measure(root, 0);
  if (problem) return { findings: [problem], targets };
  if (expanded - plainNodes > limits.maxAliasExpansion && worstAlias) {
    findings.push({
      rule: 'yaml.alias-limit',
      severity: 'error',
      message:
        `别名展开后数据量过大（约 ${expanded.toExponential(1)} 个值，上限为原文件加 ${limits.maxAliasExpansion} 个），` +
        `疑似“别名炸弹”，已拒绝读取；请直接写出数据，不要用别名（*名称）层层引用。`,
      loc: locOf(worstAlias),
    });
  }
  return { findings, targets };
}
