import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadFontSet } from '../src/pdf/fonts.js';
import { breakLines, MAX_JUSTIFY_EM, type Line } from '../src/layout/line-breaking.js';
import { textWidth } from '../src/layout/text-measure.js';
import { balanceLines } from '../src/layout/title-balance.js';
import { cellTextNode, paragraphNode, pdfmakeLineHeight, titleNode } from '../src/layout/typography.js';

const fonts = loadFontSet();
const body = fonts.byRole.body.font;
const SIZE = 16;

const CLOSING = '，。、；：？！）》」』】〕”’％,.;:?!)%';
const OPENING = '（《「『【〔“‘(';

const REFERENCE_PARAGRAPHS = readFileSync(new URL('./fixtures/reference-2022.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.length >= 40);

const FIGURES =
  '区政务服务中心 2022 年收入总计 866.01 万元，其中基本支出 245.23 万元，占 28%；项目支出 620.78 万元，占 72%。' +
  '办件满意率≥98%，第1-10项（含“三公”经费）于2022年完成，增长14%。';

const stripSpaces = (text: string): string => text.replace(/\s+/g, '');

function expectRulesHold(lines: readonly Line[]): void {
  for (const line of lines) {
    expect(CLOSING).not.toContain(line.text[0]);
    expect(OPENING).not.toContain(line.text[line.text.length - 1]);
  }
}

describe('breakLines', () => {
  it('never starts a line with closing punctuation nor ends one with an opening mark, at any narrow width', () => {
    const texts = [...REFERENCE_PARAGRAPHS.slice(0, 12), FIGURES];
    for (let chars = 5; chars <= 20; chars++) {
      for (const text of texts) {
        const lines = breakLines(text, { font: body, size: SIZE, width: chars * SIZE, firstLineIndent: 2 * SIZE });
        expectRulesHold(lines);
        expect(stripSpaces(lines.map((line) => line.text).join(''))).toBe(stripSpaces(text));
      }
    }
  });

  it('keeps numbers, percentages, ranges and Latin words on one line', () => {
    const tokens = ['2022', '866.01', '245.23', '28%', '620.78', '72%', '≥98%', '1-10', '14%'];
    for (let chars = 6; chars <= 24; chars++) {
      const lines = breakLines(FIGURES, { font: body, size: SIZE, width: chars * SIZE });
      for (const token of tokens) {
        expect(lines.some((line) => line.text.includes(token)), `${token} at ${chars} chars`).toBe(true);
      }
      expect(lines.every((line) => !line.overflow)).toBe(true);
    }
  });

  it('fills the measure exactly on every justified line, as pdfmake measures it, unless that spaces characters wider than text extraction reads as one word', () => {
    const width = 27.3 * SIZE;
    for (const text of [...REFERENCE_PARAGRAPHS.slice(0, 20), FIGURES]) {
      const lines = breakLines(text, { font: body, size: SIZE, width, firstLineIndent: 2 * SIZE });
      lines.forEach((line, i) => {
        expect(line.width).toBeLessThanOrEqual(line.available + 1e-6);
        if (line.last) {
          expect(i).toBe(lines.length - 1);
          expect(line.justifySpacing).toBe(0);
        } else {
          // What pdfmake will measure: the whole line, or the sum of its pieces (one inline each).
          const justified = line.pieces
            ? line.pieces.reduce((sum, piece) => sum + textWidth(piece.text, { font: body, size: SIZE, characterSpacing: piece.characterSpacing }), 0)
            : textWidth(line.text, { font: body, size: SIZE, characterSpacing: line.justifySpacing });
          expect(justified).toBeLessThanOrEqual(line.available);
          // A line that would need more stops short of the edge, spaced at the most and no more.
          if (line.justifySpacing < MAX_JUSTIFY_EM * SIZE - 1e-9) expect(Math.abs(justified - line.available)).toBeLessThan(0.01);
          else expect(line.justifySpacing).toBeCloseTo(MAX_JUSTIFY_EM * SIZE, 9);
          if (line.pieces) expect(line.pieces.map((piece) => piece.text).join('')).toBe(line.text);
        }
      });
      expect(lines[0]!.indent).toBe(2 * SIZE);
      expect(lines[0]!.available).toBeCloseTo(width - 2 * SIZE, 9);
    }
  });

  it('stretches the gaps between CJK characters and spaces, never the inside of a number', () => {
    const lines = breakLines(FIGURES, { font: body, size: SIZE, width: 17.4 * SIZE });
    const withNumbers = lines.filter((line) => !line.last && /\d/.test(line.text));
    expect(withNumbers.length).toBeGreaterThan(0);
    for (const line of withNumbers) {
      expect(line.pieces).toBeDefined();
      for (const piece of line.pieces!) {
        if (/\d/.test(piece.text)) expect(piece.characterSpacing).toBe(0);
        else expect(piece.characterSpacing).toBeGreaterThan(0);
      }
    }
  });

  it('pulls the character before a closing mark to the next line rather than squeezing', () => {
    // Room for exactly four characters: 三四五。 cannot end line one, so 四 goes down with 五。.
    const lines = breakLines('一二三四。五六', { font: body, size: SIZE, width: 4 * SIZE });
    expect(lines.map((line) => line.text)).toEqual(['一二三', '四。五六']);
    // Three glyphs over four ems would space them half an em apart, which text extraction reads as
    // 一 二 三: the line is spaced at the most that still reads as one word, and stops short.
    expect(lines[0]!.justifySpacing).toBeCloseTo(MAX_JUSTIFY_EM * SIZE, 9);
  });

  it('never spaces justified characters so wide that the PDF\'s text reads letter-spaced', () => {
    for (const text of [...REFERENCE_PARAGRAPHS.slice(0, 20), FIGURES]) {
      for (let chars = 6; chars <= 30; chars += 3) {
        for (const line of breakLines(text, { font: body, size: SIZE, width: chars * SIZE, justified: true })) {
          expect(line.justifySpacing).toBeLessThanOrEqual(MAX_JUSTIFY_EM * SIZE + 1e-9);
          for (const piece of line.pieces ?? []) expect(piece.characterSpacing).toBeLessThanOrEqual(MAX_JUSTIFY_EM * SIZE + 1e-9);
        }
      }
    }
    // Below pdf.js's threshold for a space between glyphs (0.102 em, TRACKING_SPACE_FACTOR).
    expect(MAX_JUSTIFY_EM).toBeLessThan(0.102);
  });

  it('keeps —— and …… together, and treats a newline as a hard break', () => {
    const lines = breakLines('甲乙丙——丁戊\n己庚', { font: body, size: SIZE, width: 4 * SIZE });
    expect(lines.map((line) => line.text)).toEqual(['甲乙丙', '——丁戊', '己庚']);
    expect(lines.map((line) => line.last)).toEqual([false, true, true]);
  });

  it('reads a tab as a space and keeps ideographic spaces, which are characters', () => {
    const lines = breakLines('605\t洛龙区', { font: body, size: SIZE, width: 20 * SIZE });
    expect(lines.map((line) => line.text)).toEqual(['605 洛龙区']);
    expect(breakLines('\u3000\u3000其中：', { font: body, size: SIZE, width: 20 * SIZE })[0]!.text).toBe('\u3000\u3000其中：');
  });

  it('cuts a number wider than every line where the line runs out, rather than let it stick out, and sets those lines unjustified', () => {
    const width = 3 * SIZE;
    const lines = breakLines('合计1234567890.12万元', { font: body, size: SIZE, width });
    expect(lines.map((line) => line.text).join('')).toBe('合计1234567890.12万元');
    for (const line of lines) expect(textWidth(line.text, { font: body, size: SIZE })).toBeLessThanOrEqual(width + 1e-6);
    const cut = lines.filter((line) => /\d/.test(line.text));
    expect(cut.length).toBeGreaterThan(1);
    for (const line of cut) expect(line.overflow).toBe(true);
  });

  it('cuts a URL longer than the line so it continues on the next lines, starting where it stands, its closing mark kept', () => {
    const url = `https://www.lylq.gov.cn/zwfw/2022/notice/${'a'.repeat(67)}`;
    const text = `完成上级交办其他工作，详见${url}。`;
    const width = 28 * SIZE;
    for (const indent of [0, 2 * SIZE]) {
      const lines = breakLines(text, { font: body, size: SIZE, width, firstLineIndent: indent, justified: true });
      expect(lines.map((line) => line.text).join('')).toBe(text);
      lines.forEach((line, i) => expect(textWidth(line.text, { font: body, size: SIZE }) + (i === 0 ? indent : 0)).toBeLessThanOrEqual(width + 1e-6));
      // The first line is filled up with the start of the URL, not left short and stretched.
      expect(lines[0]!.text).toContain('详见https:');
      expect(lines[0]!.overflow).toBe(true);
      expect(lines[lines.length - 1]!.text.endsWith('a。')).toBe(true);
      expectRulesHold(lines);
    }
    // A word that fits a line is never cut: it moves to the next line whole.
    const short = breakLines('详见https://www.lylq.gov.cn', { font: body, size: SIZE, width: 12 * SIZE }).map((line) => line.text);
    expect(short).toEqual(['详见', 'https://www.lylq.gov.cn']);
  });

  it('does not end a paragraph with one character when asked', () => {
    // 9 characters at 4 per line would leave 。-carrying 九 alone; one more group comes down.
    const text = '一二三四五六七八九。';
    const plain = breakLines(text, { font: body, size: SIZE, width: 4 * SIZE });
    expect(plain[plain.length - 1]!.text).toBe('九。');
    const avoided = breakLines(text, { font: body, size: SIZE, width: 4 * SIZE, avoidSingleCharLastLine: true });
    expect(avoided.map((line) => line.text)).toEqual(['一二三四', '五六七', '八九。']);
  });

  it('keeps a number with its unit of measure and never breaks inside 万元 or 亿元', () => {
    const text = '基本支出245.23万元，占28%；项目支出620.78万元，专项3亿元，人员30人，车辆2辆，周期12个月，面积≥720平方米，收入总计 866.01 万元。';
    const kept = ['245.23万元，', '28%；', '620.78万元，', '3亿元，', '30人，', '2辆，', '12个月，', '≥720平方米，', '866.01 万元。'];
    for (let chars = 7; chars <= 24; chars++) {
      const lines = breakLines(text, { font: body, size: SIZE, width: chars * SIZE }).map((line) => line.text);
      for (const piece of kept) expect(lines.some((line) => line.includes(piece)), `${piece} at ${chars} chars: ${lines.join(' | ')}`).toBe(true);
      for (const [k, line] of lines.entries()) {
        if (k + 1 < lines.length) expect(/[\d.万亿]$/.test(line), `line ${k} at ${chars} chars: ${line}`).toBe(false);
      }
    }
    // Only where number and unit together are wider than the measure do they part, rather than stick out.
    const narrow = breakLines(text, { font: body, size: SIZE, width: 4 * SIZE });
    expect(narrow.some((line) => line.overflow)).toBe(false);
    expect(narrow.map((line) => line.text)).toContain('245.23');
    // A number before a word that is no unit still breaks as before: 110|联动.
    const plain = breakLines('110联动', { font: body, size: SIZE, width: 3 * SIZE }).map((line) => line.text);
    expect(plain).toEqual(['110联', '动']);
  });

  it('in justified text parts a number from its whole unit rather than leave a line letter-spaced', () => {
    const text = '区政务服务中心2022年一般公共预算基本支出年初预算为245.23万元。其中：人员经费支出231.55万元，占94%；公用经费支出13.68万元，占6%。';
    const looseness = (line: Line): number => (line.available - line.width) / SIZE / Math.max(1, [...line.text].length - 1);
    let parted = 0;
    for (let chars = 14; chars <= 30; chars++) {
      const options = { font: body, size: SIZE, width: chars * SIZE, firstLineIndent: 2 * SIZE, avoidSingleCharLastLine: true };
      const ragged = breakLines(text, options);
      const justified = breakLines(text, { ...options, justified: true });
      const at = `${chars} chars: ${justified.map((line) => line.text).join(' | ')}`;
      expectRulesHold(justified);
      // Never 245.23万 / 元: the unit stays whole.
      expect(justified.some((line, k) => k + 1 < justified.length && /[万亿]$/.test(line.text)), at).toBe(false);
      // Where keeping a number with its unit left a ragged line loose, the justified lines part them there instead.
      ragged.forEach((line, k) => {
        const next = ragged[k + 1];
        const numberWithUnit = next && /^[\d.]+万元/.exec(next.text)?.[0];
        const number = numberWithUnit?.replace(/万元$/, '') ?? '';
        const numberFits = line.available - line.width >= textWidth(number, { font: body, size: SIZE });
        if (!line.last && numberWithUnit && looseness(line) > 0.12 && numberFits) {
          parted++;
          expect(justified.map((l) => l.text).join('|'), at).toContain(`${number}|万元`);
        }
      });
    }
    expect(parted).toBeGreaterThan(0);
    // Left-aligned text (a table cell) keeps the number with its unit: its short line is not stretched.
    const cell = breakLines('年初预算为245.23万元', { font: body, size: SIZE, width: 7 * SIZE }).map((line) => line.text);
    expect(cell).toEqual(['年初预算为', '245.23万元']);
  });

  it('hangs every line after the first by hangingIndent, and remembers it apart from the same text without', () => {
    const text = '第二部分 2022年洛龙区人力资源和社会保障局劳动监察大队预算情况说明';
    const hang = textWidth('第二部分 ', { font: body, size: SIZE });
    const width = 20 * SIZE;
    const plain = breakLines(text, { font: body, size: SIZE, width });
    const hung = breakLines(text, { font: body, size: SIZE, width, hangingIndent: hang });
    expect(plain.every((line) => line.indent === 0)).toBe(true);
    expect(hung.length).toBeGreaterThan(1);
    expect(hung[0]!.indent).toBe(0);
    for (const line of hung.slice(1)) {
      expect(line.indent).toBe(hang);
      expect(line.width).toBeLessThanOrEqual(width - hang + 1e-6);
    }
    expect(hung.map((line) => line.text).join('')).toBe(text);
  });

  it('measures like pdfkit, including spaces, Latin and digits', () => {
    const require = createRequire(import.meta.url);
    const PDFKit = require('pdfkit') as new (options: object) => {
      font(src: Buffer): unknown;
      fontSize(size: number): unknown;
      widthOfString(text: string): number;
    };
    const doc = new PDFKit({ autoFirstPage: false });
    doc.font(fonts.byRole.body.data);
    doc.fontSize(SIZE);
    for (const text of [FIGURES, 'Office 2022 PPP 项目 fi ffl', '“好差评”工作；承担全区审批服务电子监察工作。']) {
      expect(textWidth(text, { font: body, size: SIZE })).toBeCloseTo(doc.widthOfString(text), 6);
    }
  });

  it('relies on CJK advances being context-free in every configured font (no default-on kerning)', () => {
    const sample = REFERENCE_PARAGRAPHS.join('').replace(/[\x00-\x7f\s]/g, '').slice(0, 3000);
    for (const role of ['title', 'heading', 'subheading', 'body'] as const) {
      const font = fonts.byRole[role].font;
      for (let i = 0; i + 40 <= sample.length; i += 40) {
        const run = sample.slice(i, i + 40);
        const sum = [...run].reduce((total, ch) => total + font.layout(ch).advanceWidth, 0);
        expect(font.layout(run).advanceWidth).toBe(sum);
      }
    }
  });
});

describe('balanceLines', () => {
  const title = '2022年洛龙区政务服务中心（本级）预算说明';

  it('never leaves one character on the last line, and breaks before （ whenever the part before it fits', () => {
    const font = fonts.byRole.title.font;
    const head = '2022年洛龙区政务服务中心';
    for (let chars = 8; chars <= 21; chars++) {
      const lines = balanceLines(title, { font, size: 22, width: chars * 22 });
      expectRulesHold(lines);
      const last = lines[lines.length - 1]!.text.replace(/[，。、；：？！）》」』】〕”’]/g, '');
      expect([...last].length, `width ${chars} chars: ${lines.map((l) => l.text).join(' / ')}`).toBeGreaterThan(1);
      if (lines.length === 2 && textWidth(head, { font, size: 22 }) <= chars * 22) {
        expect(lines.map((l) => l.text), `width ${chars} chars`).toEqual([head, '（本级）预算说明']);
      }
    }
  });

  it('breaks at the edges of the names it is told of, not inside the unit name', () => {
    const font = fonts.byRole.title.font;
    const width = 595.28 - 72 - 68;
    const broken = (text: string, phrases: string[]): string[] => balanceLines(text, { font, size: 22, width, phrases }).map((l) => l.text);
    expect(broken('2022年洛龙区人力资源和社会保障局（本级）预算说明', ['洛龙区人力资源和社会保障局'])).toEqual([
      '2022年洛龙区人力资源和社会保障局', '（本级）预算说明',
    ]);
    // Too long to keep whole: it breaks where the department's name ends inside the unit's.
    expect(broken('2022年洛龙区人力资源和社会保障局劳动监察大队（本级）预算说明', ['洛龙区人力资源和社会保障局劳动监察大队', '洛龙区人力资源和社会保障局'])).toEqual([
      '2022年洛龙区人力资源和社会保障局', '劳动监察大队（本级）预算说明',
    ]);
    // Told only the unit's name, it breaks beside 和 rather than inside 保障局.
    const long = '2022年洛龙区人力资源和社会保障局劳动监察大队（本级）预算说明';
    const withName = broken(long, ['洛龙区人力资源和社会保障局劳动监察大队']);
    expect(withName).toEqual(['2022年洛龙区人力资源和', '社会保障局劳动监察大队（本级）预算说明']);
    // The same text and measure with other names breaks elsewhere: the names are part of what is remembered.
    const withDepartment = broken(long, ['洛龙区人力资源和社会保障局']);
    expect(withDepartment).toEqual(['2022年洛龙区人力资源和社会保障局', '劳动监察大队（本级）预算说明']);
    expect(broken(long, ['洛龙区人力资源和社会保障局劳动监察大队'])).toEqual(withName);
    expect(broken('2022年洛龙区人力资源和社会保障局劳动监察（本级）预算说明', [])).toEqual([
      '2022年洛龙区人力资源和社会保障局劳动监察', '（本级）预算说明',
    ]);
  });

  it('breaks after 、，： and after a year rather than inside a run of characters', () => {
    const font = fonts.byRole.title.font;
    const lines = balanceLines('附件：2022年洛龙区政务服务中心预算表', { font, size: 22, width: 14 * 22 }).map((l) => l.text);
    expect(lines).toEqual(['附件：2022年', '洛龙区政务服务中心预算表']);
    const listed = balanceLines('收入预算、支出预算、财政拨款收支预算总表', { font, size: 22, width: 12 * 22 }).map((l) => l.text);
    expect(listed).toEqual(['收入预算、支出预算、', '财政拨款收支预算总表']);
  });

  it('keeps a number with its unit together rather than balance the lines by parting them', () => {
    const font = fonts.byRole.table.font;
    for (const width of [32, 36, 40, 46]) {
      expect(balanceLines('2024年12月', { font, size: 9, width }).map((l) => l.text), `width ${width}`).toEqual(['2024年', '12月']);
    }
    // Narrower than 2024年 itself, they have to part.
    expect(balanceLines('2024年12月', { font, size: 9, width: 26 }).map((l) => l.text)[0]).toBe('2024');
  });

  it('balances a title without a mark to break at evenly, between its words', () => {
    const font = fonts.byRole.title.font;
    for (let chars = 7; chars <= 12; chars++) {
      const lines = balanceLines('一般公共预算基本支出预算表', { font, size: 22, width: chars * 22 });
      expect(lines).toHaveLength(2);
      expect(Math.abs(lines[0]!.width - lines[1]!.width), `width ${chars} chars`).toBeLessThanOrEqual(22 + 1e-6);
      // Not inside 预算, 基本, 支出 (一般公共预算 | 基本支出预算表).
      expect(lines.map((l) => l.text), `width ${chars} chars`).toEqual(['一般公共预算', '基本支出预算表']);
    }
  });

  it('breaks a name inside a table cell between its words, not inside one', () => {
    const font = fonts.byRole.body.font;
    const lines = balanceLines('（三十四）抗疫特别国债安排的支出', { font, size: 9, width: 9 * 10 });
    expect(lines.map((l) => l.text)).toEqual(['（三十四）抗疫特别', '国债安排的支出']);
    // 与, 及 and 和 join words: a good place too.
    expect(balanceLines('（九）医疗卫生与计划生育支出', { font, size: 9, width: 9 * 8 }).map((l) => l.text)).toEqual(['（九）医疗卫生', '与计划生育支出']);
  });

  it('keeps a title that fits on one line', () => {
    const lines = balanceLines('目录', { font: fonts.byRole.title.font, size: 22, width: 400 });
    expect(lines.map((line) => line.text)).toEqual(['目录']);
  });
});

type LineNode = { text: string | unknown[]; characterSpacing?: number; leadingIndent?: number; alignment?: string; id?: string; outline?: boolean };

/** The line nodes of a block, through the unbreakable stacks that keep lines together. */
function lineNodes(node: unknown): LineNode[] {
  const stack = (node as { stack?: unknown[] }).stack;
  return stack ? stack.flatMap(lineNodes) : [node as LineNode];
}

describe('pdfmake nodes', () => {
  it('paragraphNode gives one noWrap text node per line, indented two characters, justified by characterSpacing', () => {
    const node = paragraphNode(REFERENCE_PARAGRAPHS[0]!, { fonts, role: 'body', size: SIZE, width: 400, lineHeight: 1.75 }) as {
      font: string;
      fontSize: number;
      lineHeight: number;
      noWrap: boolean;
    };
    const lines = lineNodes(node);
    expect(node.font).toBe('body');
    expect(node.noWrap).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => typeof line.text === 'string' || Array.isArray(line.text))).toBe(true);
    expect(lines[0]!.leadingIndent).toBe(2 * SIZE);
    expect(lines.slice(1).every((line) => line.leadingIndent === undefined)).toBe(true);
    expect(lines[lines.length - 1]!.characterSpacing).toBeUndefined();
    // pdfmake multiplies the font's own height; the line pitch comes out at 1.75 × the size.
    expect(((node.lineHeight * (body.ascent - body.descent)) / body.unitsPerEm) * SIZE).toBeCloseTo(1.75 * SIZE, 9);
    expect(pdfmakeLineHeight(body, 1.75)).toBe(node.lineHeight);
  });

  it('titleNode centres each line and carries first-line properties such as an id', () => {
    const node = titleNode('2022年洛龙区政务服务中心（本级）预算说明', {
      fonts,
      role: 'title',
      size: 22,
      width: 300,
      firstLine: { id: 'title', outline: true },
    });
    const lines = lineNodes(node);
    expect(lines.length).toBe(2);
    expect(lines.every((line) => line.alignment === 'center')).toBe(true);
    expect(lines[0]).toMatchObject({ id: 'title', outline: true });
    expect(node).toMatchObject({ stack: [{ unbreakable: true }] });
  });

  it('paragraphNode keeps the first two and the last two lines together across a page break', () => {
    const node = paragraphNode(REFERENCE_PARAGRAPHS[0]!, { fonts, role: 'body', size: SIZE, width: 8 * SIZE }) as { stack: Array<{ stack?: unknown[]; unbreakable?: boolean }> };
    const all = lineNodes(node).length;
    expect(all).toBeGreaterThan(5);
    expect(node.stack[0]).toMatchObject({ unbreakable: true });
    expect(node.stack[0]!.stack).toHaveLength(2);
    expect(node.stack[node.stack.length - 1]!.stack).toHaveLength(2);
    expect(node.stack).toHaveLength(all - 2);
    const loose = paragraphNode(REFERENCE_PARAGRAPHS[0]!, { fonts, role: 'body', size: SIZE, width: 8 * SIZE, keepLines: 1 }) as { stack: unknown[] };
    expect(loose.stack).toHaveLength(all);
  });

  it('cellTextNode keeps a short cell on one node and right-aligns on request', () => {
    const node = cellTextNode('866.01', { fonts, role: 'table', size: 10, width: 60, align: 'right' }) as unknown as Record<string, unknown>;
    expect(node).toMatchObject({ text: '866.01', alignment: 'right', noWrap: true, font: 'table', fontSize: 10 });
  });
});
