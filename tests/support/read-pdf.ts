/**
 * A PDF read back with pdf-parse, as the tests check it: each page's text (lines kept), its size,
 * the document info and outline. One place, so every test reads PDFs the same way.
 */
import { PDFParse, VerbosityLevel } from 'pdf-parse';

export interface PdfReadBack {
  /** Text of each page as pdf-parse gives it. */
  pages: string[];
  sizes: Array<{ width: number; height: number }>;
  info: Record<string, unknown>;
  outline: unknown[];
}

export async function readPdf(pdf: Uint8Array): Promise<PdfReadBack> {
  // pdf.js detaches the buffer it is given: give it a copy.
  const parser = new PDFParse({ data: new Uint8Array(pdf), verbosity: VerbosityLevel.ERRORS });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo({ parsePageInfo: true });
    return {
      pages: text.pages.map((page) => page.text),
      sizes: info.pages.map((page) => ({ width: page.width, height: page.height })),
      info: info.info as Record<string, unknown>,
      outline: (info.outline ?? []) as unknown[],
    };
  } finally {
    await parser.destroy();
  }
}
