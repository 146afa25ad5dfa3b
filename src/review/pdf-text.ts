/**
 * The text of each page of a PDF, read with pdf-parse and normalised so two renders
 * of the same text compare equal: whitespace inside a line is collapsed, lines are
 * trimmed and blank-line runs collapsed, but the line structure is kept.
 */
import { readFile } from 'node:fs/promises';
import { ReviewInputError } from './errors.js';
import { loadPdfParse } from './pdf-parse-module.js';

/** The spec asks for the header at the start; readers accept it within the first 1024 bytes. */
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
const HEADER_WINDOW = 1024;

/**
 * The normalised text of every page, in page order.
 * `file` names the input in error messages.
 * @throws ReviewInputError when the bytes are not a PDF or the PDF cannot be read.
 */
export async function extractPageTexts(bytes: Buffer | Uint8Array, file = 'PDF'): Promise<string[]> {
  assertPdfHeader(bytes, file);
  const { PasswordException, PDFParse, VerbosityLevel } = await loadPdfParse();
  // pdf.js takes ownership of (detaches) the buffer it is given, so give it a copy.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: VerbosityLevel.ERRORS });
  try {
    const result = await parser.getText();
    return result.pages.map((page) => normalizePageText(page.text));
  } catch (error) {
    throw unreadablePdf(error, file, PasswordException);
  } finally {
    await parser.destroy();
  }
}

/** Read a PDF file and return the normalised text of each page. */
export async function readPdfPageTexts(path: string): Promise<string[]> {
  return extractPageTexts(await readInputFile(path), path);
}

/** Read an input file, turning file-system errors into ReviewInputError. */
export async function readInputFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ReviewInputError('review.missing-file', path, `找不到文件 ${path}。(File not found: ${path}.)`, { cause: error });
    }
    const reason = code === 'EISDIR' ? ['这是一个文件夹', 'it is a folder'] : [code ?? '未知错误', code ?? 'unknown error'];
    throw new ReviewInputError(
      'review.unreadable-file',
      path,
      `无法读取文件 ${path}：${reason[0]}。(Cannot read ${path}: ${reason[1]}.)`,
      { cause: error },
    );
  }
}

/**
 * Normalise one page's text for comparison: tabs, no-break spaces and runs of spaces
 * inside a line become one space (they come from glyph positions, not from the text),
 * lines are trimmed, runs of blank lines become one, and blank lines at either end go.
 */
export function normalizePageText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim());
  const kept: string[] = [];
  for (const line of lines) {
    if (line === '' && (kept.length === 0 || kept[kept.length - 1] === '')) continue;
    kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.join('\n');
}

function assertPdfHeader(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) {
    throw new ReviewInputError('review.not-pdf', file, `${file} 不是 PDF 文件：文件是空的。(${file} is not a PDF file: it is empty.)`);
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEADER_WINDOW));
  if (head.indexOf(PDF_HEADER) < 0) {
    throw new ReviewInputError(
      'review.not-pdf',
      file,
      `${file} 不是 PDF 文件：文件开头没有 %PDF- 标记。(${file} is not a PDF file: it does not start with %PDF-.)`,
    );
  }
}

function unreadablePdf(error: unknown, file: string, PasswordException: new (...args: never[]) => Error): ReviewInputError {
  if (error instanceof PasswordException) {
    return new ReviewInputError(
      'review.encrypted-pdf',
      file,
      `${file} 受密码保护，无法读取文字。(${file} is password-protected; its text cannot be read.)`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ReviewInputError(
    'review.damaged-pdf',
    file,
    `${file} 已损坏，无法读取：${detail} (${file} is damaged and cannot be read: ${detail})`,
    { cause: error },
  );
}
