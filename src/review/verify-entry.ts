/**
 * Is one manifest entry still reproducible? Compares what the manifest recorded with the files
 * on disk now and with a fresh in-memory render of the same data. Every difference is named:
 * a PDF or text file that was changed after the release, inputs (data, templates, fonts,
 * version) that changed since, or the same inputs giving different bytes.
 */
import type { RenderOutcome } from '../render/render-artifact.js';
import { formatLoc } from '../budget/findings.js';
import { manifestPath, type HashedFile, type ManifestEntry } from './manifest.js';

export interface DiskState {
  /** sha256 of the PDF on disk now, or null when it is missing. */
  pdfSha256: string | null;
  textSha256: string | null;
}

const short = (sha: string): string => sha.slice(0, 12);

/** Problems with one entry, each a sentence; empty when the entry is reproducible. */
export function entryProblems(entry: ManifestEntry, manifestDir: string, disk: DiskState, rerender: RenderOutcome): string[] {
  const problems: string[] = [];
  if (disk.pdfSha256 === null) problems.push(`PDF 文件 ${entry.pdf} 不存在`);
  else if (disk.pdfSha256 !== entry.sha256) {
    problems.push(`PDF 文件 ${entry.pdf} 在生成后被改动（现 sha256 ${short(disk.pdfSha256)}，清单记录 ${short(entry.sha256)}）`);
  }
  if (disk.textSha256 === null) problems.push(`文字文件 ${entry.text.path} 不存在`);
  else if (disk.textSha256 !== entry.text.sha256) problems.push(`文字文件 ${entry.text.path} 在生成后被改动`);

  if (rerender.status !== 0 || !rerender.sha256 || !rerender.inputs) {
    const errors = rerender.findings.filter((f) => f.severity === 'error');
    const shown = errors.slice(0, 3).map((f) => `${f.loc ? `${formatLoc(f.loc)} ` : ''}${f.message}`);
    problems.push(`无法重新生成（${errors.length} 个错误）${shown.length ? `：${shown.join('；')}` : ''}`);
    return problems;
  }

  const { inputs } = rerender;
  const here = (file: string): string => manifestPath(manifestDir, file);
  compareFile(problems, '数据文件', entry.data, { path: here(inputs.data.file), sha256: inputs.data.sha256 });
  compareFile(problems, '模板文件夹', entry.templates, { path: here(inputs.templates.file), sha256: inputs.templates.sha256 });
  compareFile(problems, '字体配置', entry.fontConfig, { path: here(inputs.fontConfig.file), sha256: inputs.fontConfig.sha256 });
  const recordedFonts = new Map(entry.fonts.map((f) => [f.path, f.sha256]));
  const currentFonts = new Map(inputs.fonts.map((f) => [here(f.file), f.sha256]));
  for (const [path, sha256] of currentFonts) {
    const recorded = recordedFonts.get(path);
    if (recorded === undefined) problems.push(`字体文件 ${path} 是新用的（清单中没有）`);
    else if (recorded !== sha256) problems.push(`字体文件 ${path} 已改动`);
  }
  for (const path of recordedFonts.keys()) if (!currentFonts.has(path)) problems.push(`字体文件 ${path} 不再使用`);
  if (inputs.version !== entry.version) problems.push(`budget-pdf 版本不同（清单 ${entry.version}，现在 ${inputs.version}）`);

  if (rerender.sha256 !== entry.sha256) {
    problems.push(`重新生成的 PDF 与清单不同（sha256 ${short(rerender.sha256)}，清单记录 ${short(entry.sha256)}）`);
  }
  return problems;
}

function compareFile(problems: string[], what: string, recorded: HashedFile, current: HashedFile): void {
  if (recorded.path !== current.path) problems.push(`${what}不同（清单 ${recorded.path}，现在 ${current.path}）`);
  else if (recorded.sha256 !== current.sha256) problems.push(`${what} ${current.path} 已改动`);
}
