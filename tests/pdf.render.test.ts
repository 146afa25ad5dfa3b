import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { breakLines } from '../src/layout/line-breaking.js';
import { cellTextNode, paragraphNode, titleNode } from '../src/layout/typography.js';
import { loadFontSet, pdfmakeFontDictionary } from '../src/pdf/fonts.js';
import { shareParsedFonts, type PdfmakeVirtualFs } from '../src/pdf/pdfkit-font-sharing.js';
import { DRAFT_WATERMARK_TEXT, renderPdf, type RenderOptions } from '../src/pdf/render.js';
import { readPdf } from './support/read-pdf.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const fonts = loadFontSet();
const WIDTH = 595.28 - 2 * 72;

const PARAGRAPHS = [
  '区政务服务中心 2022 年收入总计 866.01 万元，支出总计 866.01 万元，与 2021 年预算相比，收入增加 104.04 万元，增长 14%。主要原因：一是正常增人增资增加人员支出预算；二是建设区级电子监察平台及扩容政务服务实体大厅等专项支出预算增加。',
  '区政务服务中心 2022 年支出合计 866.01 万元，其中：基本支出 245.23 万元，占 28%；项目支出 620.78 万元，占 72%。',
];

/** Plain data only (no functions), so a fresh process can render the very same definition from JSON. */
function sampleDocument(): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [72, 72, 72, 72],
    defaultStyle: { font: 'body', fontSize: 12 },
    content: [
      titleNode('2022年洛龙区政务服务中心（本级）预算说明', { fonts, role: 'title', size: 22, width: WIDTH, firstLine: { id: 'title' } }),
      titleNode('一、收入支出预算总体情况说明', { fonts, role: 'heading', size: 16, width: WIDTH, align: 'left' }),
      ...PARAGRAPHS.map((text) => paragraphNode(text, { fonts, role: 'body', size: 16, width: WIDTH, lineHeight: 1.75 })),
      titleNode('（一）楷体小标题', { fonts, role: 'subheading', size: 16, width: WIDTH, align: 'left' }),
      {
        table: {
          widths: [120, 80],
          body: [
            [cellTextNode('项目', { fonts, role: 'tableHeader', size: 10, width: 110, align: 'center' }), cellTextNode('金额', { fonts, role: 'tableHeader', size: 10, width: 70, align: 'center' })],
            [cellTextNode('110联动办经费', { fonts, role: 'table', size: 10, width: 110 }), cellTextNode('620.78', { fonts, role: 'table', size: 10, width: 70, align: 'right' })],
          ],
        },
        pageBreak: 'after',
      },
      { text: '第二页', pageOrientation: 'landscape' },
    ],
  };
}

const OPTIONS: Omit<RenderOptions, 'draft'> = {
  fonts,
  metadata: {
    title: '2022年洛龙区政务服务中心（本级）预算说明',
    author: '洛龙区政务服务中心',
    subject: '2022年部门预算',
    keywords: '预算, 2022, 洛龙区',
    creator: 'budget-pdf 0.1.0',
  },
  creationDate: new Date('2022-03-15T08:00:00Z'),
};

async function readBack(pdf: Buffer): Promise<{ pages: string[]; info: Record<string, unknown> }> {
  const { pages, info } = await readPdf(pdf);
  return { pages: pages.map((page) => page.replace(/\s+/g, '')), info };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

let plain: Buffer;
let draft: Buffer;

beforeAll(async () => {
  plain = await renderPdf(sampleDocument(), OPTIONS);
  draft = await renderPdf(sampleDocument(), { ...OPTIONS, draft: true });
});

describe('renderPdf', () => {
  it('writes the text, read back with pdf-parse', async () => {
    const { pages } = await readBack(plain);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('2022年洛龙区政务服务中心（本级）预算说明');
    for (const paragraph of PARAGRAPHS) expect(pages[0]).toContain(paragraph.replace(/\s+/g, ''));
    expect(pages[0]).toContain('110联动办经费');
    expect(pages[1]).toContain('第二页');
  });

  it('sets the metadata, the dates given and the language zh-CN', async () => {
    const { info } = await readBack(plain);
    expect(info).toMatchObject({
      Title: OPTIONS.metadata.title,
      Author: OPTIONS.metadata.author,
      Subject: OPTIONS.metadata.subject,
      Keywords: OPTIONS.metadata.keywords,
      Creator: OPTIONS.metadata.creator,
      CreationDate: 'D:20220315080000Z',
      ModDate: 'D:20220315080000Z',
      Language: 'zh-CN',
    });
  });

  it('embeds every font as a subset with a ToUnicode map, one per font file, with content-derived tags', () => {
    const raw = plain.toString('latin1');
    const names = [...raw.matchAll(/\/FontName \/([A-Z]{6})\+([\w-]+)/g)].map((m) => ({ tag: m[1]!, name: m[2]! }));
    expect(names.map((n) => n.name).sort()).toEqual(['LXGWWenKai-Regular', 'NotoSansSC-Bold', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular']);
    expect(raw.match(/\/FontFile2 /g)).toHaveLength(4);
    expect(raw.match(/\/ToUnicode /g)).toHaveLength(4);
    // pdfkit would name them BZZZZZ, CZZZZZ, … in every document; ours differ between documents.
    const draftTags = [...draft.toString('latin1').matchAll(/\/FontName \/([A-Z]{6})\+/g)].map((m) => m[1]);
    expect(names.map((n) => n.tag)).not.toEqual(draftTags);
    expect(names.some((n) => /^[B-Z]ZZZZZ$/.test(n.tag))).toBe(false);
  });

  it('puts the 草稿 watermark on every page of a draft only', async () => {
    const drafted = await readBack(draft);
    expect(drafted.pages.every((page) => page.includes(DRAFT_WATERMARK_TEXT))).toBe(true);
    const final = await readBack(plain);
    expect(final.pages.some((page) => page.includes(DRAFT_WATERMARK_TEXT))).toBe(false);
  });

  it('gives the same bytes for the same inputs, reusing one definition object', async () => {
    const doc = sampleDocument();
    const first = await renderPdf(doc, OPTIONS);
    const second = await renderPdf(doc, OPTIONS);
    expect(sha256(second)).toBe(sha256(first));
    expect(sha256(first)).toBe(sha256(plain));
    const later = await renderPdf(sampleDocument(), { ...OPTIONS, creationDate: new Date('2023-01-01T00:00:00Z') });
    expect(sha256(later)).not.toBe(sha256(plain));
  });

  it('gives the same bytes in a fresh process', () => {
    const script = `
      import { runnerImport } from 'vite';
      const load = async (file) => (await runnerImport(new URL(file, 'file://${ROOT}/').href, { configFile: false, logLevel: 'silent' })).module;
      const { renderPdf } = await load('src/pdf/render.ts');
      const { loadFontSet } = await load('src/pdf/fonts.ts');
      const { createHash } = await import('node:crypto');
      const input = JSON.parse(process.argv[1]);
      const pdf = await renderPdf(input.doc, { ...input.options, fonts: loadFontSet(), creationDate: new Date(input.options.creationDate) });
      process.stdout.write(createHash('sha256').update(pdf).digest('hex'));
    `;
    const input = JSON.stringify({ doc: sampleDocument(), options: { ...OPTIONS, fonts: undefined } });
    const hash = execFileSync(process.execPath, ['--input-type=module', '-e', script, input], { cwd: ROOT, encoding: 'utf8' });
    expect(hash).toBe(sha256(plain));
  });
});

describe('lines laid out by typography', () => {
  it('come out of pdfmake exactly as broken: same lines, same text, none re-wrapped', async () => {
    const text =
      '605\t洛龙区政务服务中心\t866.01\t866.01\t866.01，其中：基本支出 245.23 万元，占 28%；项目支出 620.78 万元，占 72%。' +
      '办件满意率≥98%，第1-10项（含“三公”经费）于2022年完成，比 2021 年增长 14%。';
    const width = 300;
    const body = fonts.byRole.body.font;
    const expected = breakLines(text, { font: body, size: 12, width, firstLineIndent: 24, avoidSingleCharLastLine: true, justified: true });
    expect(expected.some((line) => line.pieces)).toBe(true);
    const pdf = await renderPdf(
      { pageSize: { width: width + 100, height: 800 }, pageMargins: [50, 50, 50, 50], content: [paragraphNode(text, { fonts, role: 'body', size: 12, width })] },
      OPTIONS,
    );
    const lines = (await readPdf(pdf)).pages[0]!.split('\n').map((line) => line.replace(/\s+/g, '')).filter(Boolean);
    expect(lines).toEqual(expected.map((line) => line.text.replace(/\s+/g, '')));
  });
});

describe('paragraphs across a page break', () => {
  const text =
    '区政务服务中心年收入总计万元，支出总计万元，与上年预算相比，收入增加万元，主要原因是正常增人增资增加人员支出预算，建设区级电子监察平台及扩容政务服务实体大厅等专项支出预算增加。';
  const width = 200;

  /** Lines of text per page, on pages five lines high (12 pt type, 1.5 line height). */
  async function linesPerPage(spaceAbove: number, keepLines: number): Promise<number[]> {
    const doc: TDocumentDefinitions = {
      pageSize: { width: width + 40, height: 5 * 18 + 0.5 + 40 },
      pageMargins: [20, 20, 20, 20],
      content: [{ canvas: [], margin: [0, spaceAbove, 0, 0] }, paragraphNode(text, { fonts, role: 'body', size: 12, width, keepLines })],
    };
    return (await readPdf(await renderPdf(doc, OPTIONS))).pages.map((page) => page.split('\n').filter((line) => line.trim()).length);
  }

  it('never leave the last line alone at the head of a page', async () => {
    expect(breakLines(text, { font: fonts.byRole.body.font, size: 12, width, firstLineIndent: 24 })).toHaveLength(6);
    expect(await linesPerPage(0, 1)).toEqual([5, 1]);
    expect(await linesPerPage(0, 2)).toEqual([4, 2]);
  });

  it('never leave the first line alone at the foot of a page', async () => {
    expect(await linesPerPage(72, 1)).toEqual([1, 5]);
    expect((await linesPerPage(72, 2))[0]).toBe(0);
  });
});

describe('font sharing', () => {
  it('hands pdfkit the fontkit Font objects parsed once by fonts.ts', async () => {
    const vfs = (pdfmake as unknown as { virtualfs: PdfmakeVirtualFs }).virtualfs;
    shareParsedFonts(vfs, fonts);
    pdfmake.setFonts(pdfmakeFontDictionary(fonts));
    const created = pdfmake.createPdf({ content: [{ text: '正文', font: 'body' }, { text: '标题', font: 'heading' }, { text: '表格', font: 'table' }] });
    const pdfkitDoc = (await created.getStream()) as unknown as { _fontFamilies: Record<string, { font: unknown }> };
    const used = new Set(Object.values(pdfkitDoc._fontFamilies).map((embedded) => embedded.font));
    // body and table share one file, so one embedded font; heading is the other.
    expect(used).toEqual(new Set([fonts.byRole.body.font, fonts.byRole.heading.font]));
  });
});
