import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as Fontkit from 'fontkit';
import { analyzeFont, installFastLayout } from '../src/pdf/fast-layout.js';
import { fontkit } from '../src/pdf/fontkit-module.js';

const FONT_FILES = ['NotoSerifSC-Regular', 'NotoSansSC-Bold', 'NotoSerifSC-Bold', 'LXGWWenKai-Regular'];

const REFERENCE = readFileSync(new URL('./fixtures/reference-2022.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** Texts that exercise what the fast path must leave to fontkit or reproduce exactly. */
const EDGE_CASES = [
  '2022年部门预算收入866.01万元，增长14%。',
  'office fi fl ffi AVAWAY To Ty 1/2 12⁄34', // ligatures, kerning pairs, fraction slash
  // Kerning pairs whose second glyph starts no lookup itself: they must be shaped together.
  'a! b! f! g! y! "d \'d (j ,* ,d .* .j /d :* ;j A* Kj Ld Rd Td Vd Xd H… N…',
  '（一）“三公”经费——合计……说明：',
  'e\u0301 a\u0308 中\u0301', // combining marks
  '中\ufe00国 \u200b零宽 soft\u00adhyphen', // variation selector, default ignorables
  'ＡＢＣ１２３　全角　空格',
  '𠀀𠀁 astral 𪚥', // outside the BMP
  ' leading and trailing ',
  '0',
  '',
];

/** A reproducible mix of the characters above, to meet boundaries the fixed texts do not. */
function randomTexts(count: number): string[] {
  const pool = [...new Set([...REFERENCE.join(''), ...EDGE_CASES.join('')])];
  let seed = 20221;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 24) }, () => pool[Math.floor(next() * pool.length)]).join(''));
}

function snapshot(run: Fontkit.GlyphRun & { script?: string; features?: Record<string, boolean> }) {
  return {
    glyphs: run.glyphs.map((g) => [g.id, g.codePoints.join(',')]),
    positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
    advanceWidth: run.advanceWidth,
    script: run.script,
    features: run.features,
  };
}

describe('fast layout', () => {
  const texts = [...REFERENCE, ...EDGE_CASES, ...randomTexts(400)];

  it.each(FONT_FILES)('%s: gives exactly what fontkit gives, text by text', (name) => {
    const bytes = readFileSync(new URL(`../fonts/${name}.ttf`, import.meta.url));
    const plain = fontkit.create(bytes) as Fontkit.Font;
    const fast = fontkit.create(bytes) as Fontkit.Font;
    installFastLayout(fast);
    for (const text of texts) expect(snapshot(fast.layout(text)), text).toEqual(snapshot(plain.layout(text)));
    // The same glyph objects as fontkit's own (pdfkit reads their code points for ToUnicode).
    expect(fast.layout('中文').glyphs[0]).toBe(fast.glyphForCodePoint('中'.codePointAt(0)!));
  });

  it('finds the lookups of the shipped faces and how far they reach', () => {
    const noto = fontkit.create(readFileSync(new URL('../fonts/NotoSerifSC-Regular.ttf', import.meta.url))) as Fontkit.Font;
    const analysis = analyzeFont(noto);
    expect(analysis.usable).toBe(true);
    expect(analysis.splittable).toBe(true);
    // Digits are kerned, ideographs are not touched by any default feature.
    expect(analysis.triggers.has(noto.glyphForCodePoint('1'.codePointAt(0)!).id)).toBe(true);
    expect(analysis.triggers.has(noto.glyphForCodePoint('中'.codePointAt(0)!).id)).toBe(false);
    expect(analysis.reach.ahead).toBeGreaterThanOrEqual(1);
    expect(analysis.reach.behind).toBeGreaterThanOrEqual(1);
  });

  it('hands calls with features, script or direction to fontkit unchanged', () => {
    const bytes = readFileSync(new URL('../fonts/NotoSansSC-Bold.ttf', import.meta.url));
    const plain = fontkit.create(bytes) as Fontkit.Font;
    const fast = fontkit.create(bytes) as Fontkit.Font;
    installFastLayout(fast);
    expect(snapshot(fast.layout('预算（一）', ['vert']))).toEqual(snapshot(plain.layout('预算（一）', ['vert'])));
    expect(snapshot(fast.layout('预算', [], 'latn'))).toEqual(snapshot(plain.layout('预算', [], 'latn')));
  });
});
