/**
 * `budget-pdf diff OLD NEW`: decide what the two inputs are and run the matching diff —
 * two data files (.yaml/.yml) are compared by what their publications would show, two
 * PDFs (by their %PDF- header) by the text of their pages. Anything else is exit 2.
 */
import { extname } from 'node:path';
import { runDataDiff } from './data-diff-command.js';
import { runPdfDiff, type CommandResult, type DiffOptions } from './diff-command.js';
import { inputFailure, readAll } from './input-failure.js';
import { readInputFile } from './pdf-text.js';

/** pdf: starts with %PDF-; data: a .yaml/.yml file; other: neither (a .pdf that is not one, a .txt …). */
export type DiffInputKind = 'pdf' | 'data' | 'other';

const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
/** As in pdf-text.ts: readers accept the header within the first 1024 bytes. */
const HEADER_WINDOW = 1024;

export function diffInputKind(file: string, bytes: Uint8Array): DiffInputKind {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEADER_WINDOW));
  if (head.indexOf(PDF_HEADER) >= 0) return 'pdf';
  return /^\.ya?ml$/i.test(extname(file)) ? 'data' : 'other';
}

export async function runDiff(oldPath: string, newPath: string, options: DiffOptions): Promise<CommandResult> {
  const read = await readAll([readInputFile(oldPath), readInputFile(newPath)]);
  if (read.problems.length > 0) return inputFailure(read.problems, options);
  const [oldBytes, newBytes] = read.values as [Buffer, Buffer];
  const kinds = [diffInputKind(oldPath, oldBytes), diffInputKind(newPath, newBytes)] as const;

  if (kinds[0] === 'data' && kinds[1] === 'data') return runDataDiff(oldPath, newPath, options);
  if (kinds.includes('pdf') && kinds.includes('data')) {
    const [pdf, data] = kinds[0] === 'pdf' ? [oldPath, newPath] : [newPath, oldPath];
    const message =
      `不能比较 PDF 与数据文件：${pdf} 是 PDF，${data} 是数据文件；请给两个 PDF 或两个 .yaml 数据文件。` +
      `(Cannot compare a PDF with a data file: ${pdf} is a PDF, ${data} is a data file; give two PDFs or two .yaml files.)`;
    return inputFailure([{ rule: 'review.mixed-inputs', message }], options);
  }
  // A PDF beside a file of no known kind: the PDF reader says clearly what is wrong with it.
  if (kinds.includes('pdf') || (extname(oldPath).toLowerCase() === '.pdf' && extname(newPath).toLowerCase() === '.pdf')) {
    return runPdfDiff(oldPath, newPath, options);
  }
  const unknown = [oldPath, newPath].filter((_, i) => kinds[i] === 'other');
  const problems = unknown.map((file) => ({
    rule: 'review.unknown-input',
    file,
    message:
      `${file} 既不是 PDF（开头没有 %PDF-），也不是数据文件（.yaml/.yml）。` +
      `(${file} is neither a PDF (no %PDF- header) nor a data file (.yaml/.yml).)`,
  }));
  return inputFailure(problems, options);
}
