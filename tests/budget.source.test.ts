import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/budget/findings.js';
import {
  codeFrame,
  DataInputError,
  firstInvalidUtf8Offset,
  parseYamlSource,
  readSourceText,
} from '../src/budget/source.js';

const dir = mkdtempSync(join(tmpdir(), 'budget-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The findings readSourceText throws for `path`. */
function readFailure(path: string, options?: { maxBytes?: number }): Finding[] {
  try {
    readSourceText(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataInputError);
    return (error as DataInputError).findings;
  }
  throw new Error(`expected ${path} to be refused`);
}

function parse(text: string) {
  return parseYamlSource({ file: 'data.yaml', text });
}

describe('readSourceText', () => {
  it('reads UTF-8 text and keeps the path as given', () => {
    const path = fixture('ok.yaml', '单位: 洛龙区政务服务中心\n');
    expect(readSourceText(path)).toEqual({ file: path, text: '单位: 洛龙区政务服务中心\n' });
  });

  it('names a missing file', () => {
    const path = join(dir, 'nope.yaml');
    const [f] = readFailure(path);
    expect(f.rule).toBe('input.missing');
    expect(f.severity).toBe('error');
    expect(f.message).toContain(path);
    expect(f.message).toContain('找不到文件');
  });

  it('refuses a PDF as a PDF, before judging its bytes as text', () => {
    const path = fixture('unit.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x0a])]));
    const [f] = readFailure(path);
    expect(f.rule).toBe('input.pdf');
    expect(f.message).toMatch(/^.*unit\.pdf 是 PDF 文件，不是数据文件/);
  });

  it('names the missing target of a symlink, not only the link', () => {
    const link = join(dir, 'dangling.yaml');
    symlinkSync(join(dir, 'gone.yaml'), link);
    const [f] = readFailure(link);
    expect(f.rule).toBe('input.missing');
    expect(f.message).toBe(`${link} 是符号链接（快捷方式），它指向的 ${join(dir, 'gone.yaml')} 不存在；请改正或删除这个链接。`);
  });

  it('says in Chinese that a symlink loops, not the system\'s English', () => {
    const a = join(dir, 'loop-a.yaml');
    const b = join(dir, 'loop-b.yaml');
    symlinkSync(b, a);
    symlinkSync(a, b);
    const [f] = readFailure(a);
    expect(f.rule).toBe('input.unreadable');
    expect(f.message).toBe(`无法读取 ${a}：路径中的符号链接（快捷方式）循环指向自己；请给出实际数据文件的路径。`);
    expect(f.message).not.toMatch(/ELOOP|too many|symbolic/i);
  });

  it('refuses a directory and lists the YAML files in it', () => {
    const sub = join(dir, 'data');
    mkdirSync(sub);
    writeFileSync(join(sub, 'unit-2022.yaml'), 'a: 1\n');
    writeFileSync(join(sub, 'notes.txt'), 'x');
    const [f] = readFailure(sub);
    expect(f.rule).toBe('input.directory');
    expect(f.message).toContain(`${sub} 是文件夹`);
    expect(f.message).toContain('unit-2022.yaml');
    expect(f.message).not.toContain('notes.txt');
  });

  it('refuses GBK text, naming line and byte offset and suggesting UTF-8', () => {
    const gbk = Buffer.from([
      ...Buffer.from('year: 2022\nname: '),
      0xc2, 0xe5, 0xc1, 0xfa, 0xc7, 0xf8, // 洛龙区 in GBK
      0x0a,
    ]);
    const [f] = readFailure(fixture('gbk.yaml', gbk));
    expect(f.rule).toBe('input.encoding');
    expect(f.loc).toMatchObject({ line: 2, col: 7 });
    expect(f.message).toContain('第 2 行');
    expect(f.message).toContain('第 17 字节');
    expect(f.message).toContain('GBK');
    expect(f.message).toContain('洛龙区');
    expect(f.message).toContain('UTF-8');
  });

  it('refuses UTF-16 with a specific message', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]);
    const [f] = readFailure(fixture('utf16.yaml', utf16));
    expect(f.rule).toBe('input.encoding');
    expect(f.message).toContain('UTF-16');
  });

  it('accepts UTF-8 with BOM, strips it, and keeps positions right', () => {
    const path = fixture('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('年度: 2022\n单位: 本级\n')]));
    const source = readSourceText(path);
    expect(source.text.startsWith('年度')).toBe(true);
    const { yaml, findings } = parseYamlSource(source);
    expect(findings).toEqual([]);
    expect(yaml?.locOf(yaml.root)).toEqual({ file: path, line: 1, col: 1 });
    expect(yaml?.locAt(source.text.indexOf('本级'))).toEqual({ file: path, line: 2, col: 5 });
  });

  it('refuses an oversized file from its size alone, quickly', () => {
    // A sparse 5 GiB file: reading it would take long or fail differently, so a quick
    // input.too-large proves the refusal comes from fs.stat.
    const path = fixture('huge.yaml', '');
    truncateSync(path, 5 * 1024 ** 3);
    const start = performance.now();
    const [f] = readFailure(path);
    expect(performance.now() - start).toBeLessThan(500);
    expect(f.rule).toBe('input.too-large');
    expect(f.message).toContain('大小为 5120.0 MiB');
    expect(f.message).toContain('上限 2.0 MiB');
  });

  it('applies a custom size limit', () => {
    const path = fixture('small-limit.yaml', 'a: 12345\n');
    expect(readFailure(path, { maxBytes: 4 })[0].rule).toBe('input.too-large');
    expect(readSourceText(path, { maxBytes: 9 }).text).toBe('a: 12345\n');
  });

  it('refuses an empty or blank file', () => {
    for (const content of ['', '  \n\n']) {
      const [f] = readFailure(fixture('empty.yaml', content));
      expect(f.rule).toBe('input.empty');
      expect(f.message).toContain('空文件');
    }
  });
});

describe('firstInvalidUtf8Offset', () => {
  it('finds the first ill-formed sequence', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('ab洛'))).toBe(5);
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0x62, 0xe6, 0xb4]))).toBe(2); // truncated
    expect(firstInvalidUtf8Offset(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // > U+10FFFF
  });
});

describe('parseYamlSource', () => {
  it('parses a document and locates its nodes', () => {
    const { yaml, findings } = parse('a: 1\nb:\n  - x\n');
    expect(findings).toEqual([]);
    expect(yaml?.locAt(10)).toEqual({ file: 'data.yaml', line: 3, col: 3 }); // the '-'
  });

  it('reports a syntax error with line, column and the offending line under a caret', () => {
    const { yaml, findings } = parse('名称: 政务服务中心\n说明: 单位: 本级\n');
    expect(yaml).toBeUndefined();
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.loc).toEqual({ file: 'data.yaml', line: 2, col: 5 });
    expect(f.message).toContain('第 2 行第 5 列');
    expect(f.message).toContain('加引号');
    // CJK characters are two columns wide, so the caret sits under 单.
    expect(f.message.split('\n').slice(-2)).toEqual(['  2 | 说明: 单位: 本级', '    |       ^']);
  });

  it('shows a very long line only around the column, with the caret still under it', () => {
    const items = '1, '.repeat(60_000);
    const { findings } = parse(`format: x\na: [${items}2}\n`);
    const [f] = findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.loc?.col).toBeGreaterThan(150_000);
    expect(f.message.length).toBeLessThan(600);
    const [, shown, caret] = f.message.split('\n').slice(-3);
    expect(shown).toMatch(/^ {2}2 \| \.\.\.[1, ]+2\}$/);
    expect(Array.from(shown.slice(6)).length).toBeLessThanOrEqual(106);
    // The caret points at the same character of the shown window as the column does in the line.
    const line = `a: [${items}2}`;
    expect(shown.slice(6)[caret.indexOf('^') - 6]).toBe(line[f.loc!.col - 1]);
  });

  it('cuts a long line on both sides of a column in its middle, CJK counted two columns wide', () => {
    const line = `${'甲'.repeat(500)}错${'乙'.repeat(500)}`;
    const frame = codeFrame(`a: 1\n${line}\n`, { file: 'data.yaml', line: 2, col: 501 }).split('\n');
    expect(frame[0]).toBe('  1 | a: 1');
    expect(frame[1]).toBe(`  2 | ...${'甲'.repeat(50)}错${'乙'.repeat(49)}...`);
    expect(frame[2]).toBe(`    | ${' '.repeat(3 + 100)}^`);
  });

  it('explains a tab used for indentation', () => {
    const [f] = parse('unit:\n\tname: x\n').findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.loc).toMatchObject({ line: 2, col: 1 });
    expect(f.message).toContain('制表符（Tab）');
  });

  it('explains inconsistent indentation', () => {
    const [f] = parse('unit:\n  name: x\n code: "605"\n').findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.loc).toMatchObject({ line: 3, col: 2 });
    expect(f.message).toContain('第 3 行的“code”缩进 1 格，同一层的“name”（第 2 行）缩进 2 格');
  });

  it('names the key indented one space too far, not the key with a value above it', () => {
    const [f, ...rest] = parse('three_public:\n  abroad: 0\n   reception: 2.50\n  vehicle_purchase: 0\n').findings;
    expect(rest.filter((x) => x.rule === 'yaml.syntax')).toEqual([]);
    expect(f!.loc).toMatchObject({ line: 3, col: 4 });
    expect(f!.message).toContain('第 3 行的“reception”缩进 3 格，比第 2 行的“abroad”多 1 格');
    expect(f!.message).toContain('   3 |    reception: 2.50'.trim());
  });

  it('names a key dedented out of its mapping, between its siblings, at its own line', () => {
    const [f] = parse('unit:\n  name: x\n  short_name: y\nscope: 本级\n  code: "605001"\n').findings;
    expect(f!.loc).toMatchObject({ line: 4, col: 1 });
    expect(f!.message).toContain('第 4 行的“scope”缩进 0 格，上下同一层的“short_name”（第 3 行）和“code”（第 5 行）缩进 2 格');
  });

  it('names a key indented less than its siblings above and below it, at its own line', () => {
    // The parser stops at the odd key itself…
    const text = ['performance:', '  indicators:', '      cost:', '        - [a, b]', '    output:', '        - [c, d]', '      benefit:', '        - [e, f]', ''].join('\n');
    const [f] = parse(text).findings;
    expect(f!.loc).toMatchObject({ line: 5, col: 5 });
    expect(f!.message).toContain('第 5 行的“output”缩进 4 格，同一层的“cost”（第 3 行）缩进 6 格');
    // …or, under a list item, at the sibling after it.
    const item = ['projects:', '  - code: "1"', '    performance:', '      cost:', '        - [a, b]', '    output:', '        - [c, d]', '      benefit:', '        - [e, f]', ''].join('\n');
    const [g] = parse(item).findings;
    expect(g!.loc).toMatchObject({ line: 6, col: 5 });
    expect(g!.message).toContain('第 6 行的“output”缩进 4 格，同一层的“cost”（第 4 行）和“benefit”（第 8 行）缩进 6 格');
  });

  it('names the line of a bracket never closed, not an indentation error at the next key', () => {
    const [f] = parse('format: luoyang-2022\nbroken: [unclosed\nyear: 2022\n').findings;
    expect(f!.loc).toMatchObject({ line: 2, col: 9 });
    expect(f!.message).toContain('第 2 行的“[”没有闭合：请补上“]”');
    const [g] = parse('a: { b: 1\nc: 2\n').findings;
    expect(g!.message).toContain('第 1 行的“{”没有闭合：请补上“}”');
  });

  it('names a full-width colon after a key, not an unclosed bracket', () => {
    const [f] = parse('function_lines:\n  - code: "2010350"\n    wages: 600000.00\n    goods_services：80000.00\n').findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.loc).toMatchObject({ line: 4 });
    expect(f.message).toContain('“goods_services：”用了全角冒号');
    expect(f.message).toContain('写成“goods_services: ”');
  });

  it('names a list item indented differently from the items above it', () => {
    const [f] = parse('unit:\n  composition:\n    - 综合办公室\n  - 退役军人服务站\n').findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.loc).toMatchObject({ line: 4 });
    expect(f.message).toContain('这一行的“- ”从第 3 列开始，上一行的从第 5 列开始');
  });

  it('refuses several documents in one file', () => {
    const [f] = parse('a: 1\n---\nb: 2\n').findings;
    expect(f.rule).toBe('yaml.syntax');
    expect(f.message).toContain('---');
  });

  it('names a duplicate key and both of its lines', () => {
    const { yaml, findings } = parse('unit:\n  name: a\n  code: "605"\n  name: b\n');
    expect(yaml).toBeUndefined();
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.rule).toBe('yaml.duplicate-key');
    expect(f.message).toContain('字段“name”');
    expect(f.message).toContain('第 2 行和第 4 行');
    expect(f.loc).toEqual({ file: 'data.yaml', line: 4, col: 3 });
    expect(f.related).toEqual([{ file: 'data.yaml', line: 2, col: 3 }]);
  });

  it('refuses a billion-laughs alias bomb in well under a second', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const start = performance.now();
    const { yaml, findings } = parse(lines.join('\n') + '\n');
    expect(performance.now() - start).toBeLessThan(500);
    expect(yaml).toBeUndefined();
    expect(findings.map((f) => f.rule)).toEqual(['yaml.alias-limit']);
    expect(findings[0].message).toContain('别名炸弹');
    expect(findings[0].loc?.line).toBe(9);
  });

  it('refuses too many aliases, unresolved aliases and self-referencing aliases', () => {
    const many = 'x: &x 1\nys:\n' + Array.from({ length: 101 }, () => '  - *x\n').join('');
    expect(parse(many).findings.map((f) => f.rule)).toEqual(['yaml.alias-limit']);
    const unresolved = parse('a: *nope\n').findings;
    expect(unresolved.map((f) => f.rule)).toEqual(['yaml.alias']);
    expect(unresolved[0].message).toContain('*nope');
    expect(parse('a: &s [1, *s]\n').findings.map((f) => f.rule)).toEqual(['yaml.alias']);
  });

  it('accepts modest alias use', () => {
    const { yaml, findings } = parse('src: &src 财政拨款\nothers: [*src, *src]\n');
    expect(findings).toEqual([]);
    expect(yaml).toBeDefined();
  });

  it('refuses absurd nesting', () => {
    const deep = 'a: ' + '['.repeat(80) + ']'.repeat(80) + '\n';
    expect(parse(deep).findings.map((f) => f.rule)).toEqual(['yaml.too-deep']);
  });

  it('treats a file of only comments as empty', () => {
    const [f] = parse('# 2022 年预算\n# 待填写\n').findings;
    expect(f.rule).toBe('input.empty');
    expect(f.message).toContain('只有注释');
  });

  it('passes an unknown tag on as a warning', () => {
    const { yaml, findings } = parse('a: !money 1\n');
    expect(yaml).toBeDefined();
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['yaml.warning', 'warning']]);
  });
});
