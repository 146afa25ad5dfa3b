import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocument } from '../src/render/render-document.js';
import { readOwnPdfPageTexts, renderedPageTexts } from '../src/review/own-pdf-text.js';
import { extractPageTexts } from '../src/review/pdf-text.js';

const REFERENCE = new URL('../data/luolong-zwfwzx-2022.yaml', import.meta.url).pathname;

/** Text overrides that put Latin words, spacing, full-width forms and symbols on the page. */
const MIXED_TEXTS = `
texts:
  duties: |
    Office fi fl ffi — Latin words, spaces  and   tabs\there; ＡＢＣ１２３ full width; 1,234.56 and -7.5% (test) [x] {y}.

    “引号”与‘单引号’……省略号——破折号，·间隔号，　全角空格　在中间。Mixed中English混排text，数字2022年与866.01万元。
  glossary: |
    名词解释：ＰＤＦ　ｐｄｆ ½ ¼ ① ② ㈠ Ⅰ Ⅱ ℃ ‰ § ¥ € © ® ™ ° ± × ÷ √ ∞ ≈ ≠ ≤ ≥。
`;

describe('readOwnPdfPageTexts', () => {
  let work: string;
  const pdfs: Record<string, Buffer> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'budget-pdf-own-text-'));
    const mixed = join(work, 'mixed.yaml');
    writeFileSync(mixed, `${readFileSync(REFERENCE, 'utf8')}\n${MIXED_TEXTS}`);
    const render = async (file: string, draft: boolean): Promise<Buffer> => {
      const rendered = await renderDocument(file, { draft });
      if (!rendered.pdf) throw new Error(`could not render ${file}: ${JSON.stringify(rendered.findings)}`);
      return rendered.pdf;
    };
    pdfs.reference = await render(REFERENCE, false);
    pdfs.draft = await render(REFERENCE, true); // the 草稿 watermark is rotated text
    pdfs.mixed = await render(mixed, false);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(['reference', 'draft', 'mixed'])('reads the %s PDF exactly as pdf-parse does', async (name) => {
    const pdf = pdfs[name]!;
    const own = readOwnPdfPageTexts(pdf);
    expect(own).toBeDefined();
    expect(own).toEqual(await extractPageTexts(pdf));
  });

  it('declines a PDF it does not cover, and renderedPageTexts then asks pdf-parse', async () => {
    const foreign = minimalPdfWithType1Font('Hello');
    expect(readOwnPdfPageTexts(foreign)).toBeUndefined();
    expect(await renderedPageTexts(foreign, 'foreign.pdf')).toEqual(['Hello']);
    expect(readOwnPdfPageTexts(Buffer.from('not a pdf'))).toBeUndefined();
  });
});

/** A one-page PDF with a standard Type1 font, written by hand (offsets computed). */
function minimalPdfWithType1Font(text: string): Buffer {
  const content = `BT /F1 24 Tf 72 700 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
