/**
 * Is one manifest entry still reproducible? Compares what the manifest recorded with the files
 * on disk now and with a fresh in-memory render of the same data. Inputs are compared by
 * content (sha256), never by path: the same data, templates and fonts in another place are the
 * same inputs. Every difference is named: a PDF or text file that was changed after the
 * release, inputs (data, templates, fonts, version) that changed since, or the same inputs
 * giving different bytes.
 */
import type { RenderOutcome } from '../render/render-artifact.js';
import { formatLoc } from '../budget/findings.js';
import { runtimeVersion, type HashedFile, type ManifestEntry } from './manifest.js';

export interface DiskState {
  /** sha256 of the PDF on disk now, or null when it is missing. */
  pdfSha256: string | null;
  textSha256: string | null;
}

export interface EntryContext {
  disk: DiskState;
  /** A path as messages show it (e.g. relative to the working directory). */
  shown: (file: string) => string;
  /** Where verify looked for the recorded fonts.yaml, when no place held it unchanged. */
  fontConfigLooked?: readonly string[];
}

const short = (sha: string): string => sha.slice(0, 12);

/** Problems with one entry, each a sentence; empty when the entry is reproducible. */
export function entryProblems(entry: ManifestEntry, context: EntryContext, rerender: RenderOutcome): string[] {
  const { disk, shown } = context;
  const problems: string[] = [];
  if (disk.pdfSha256 === null) problems.push(`PDF 文件 ${entry.pdf} 不存在`);
  else if (disk.pdfSha256 !== entry.sha256 && disk.pdfSha256 === rerender.sha256) {
    // The PDF is what the inputs give now: the manifest is the stale one (a render killed before it was written).
    problems.push(`PDF 文件 ${entry.pdf} 与清单记录不同，但与现在重新生成的相同：清单过期（生成时进程被强行终止？），请重新生成以更新清单`);
  } else if (disk.pdfSha256 !== entry.sha256) {
    problems.push(`PDF 文件 ${entry.pdf} 在生成后被改动（现 sha256 ${short(disk.pdfSha256)}，清单记录 ${short(entry.sha256)}）`);
  }
  if (disk.textSha256 === null) problems.push(`文字文件 ${entry.text.path} 不存在`);
  else if (disk.textSha256 !== entry.text.sha256) problems.push(`文字文件 ${entry.text.path} 在生成后被改动`);

  if (rerender.status !== 0 || !rerender.sha256 || !rerender.inputs) {
    const errors = rerender.findings.filter((f) => f.severity === 'error');
    const shownErrors = errors.slice(0, 3).map((f) => `${f.loc ? `${formatLoc(f.loc)} ` : ''}${f.message}`);
    problems.push(`无法重新生成（${errors.length} 个错误）${shownErrors.length ? `：${shownErrors.join('；')}` : ''}`);
    return problems;
  }

  const { inputs } = rerender;
  const changed = (what: string, recorded: HashedFile, now: { file: string; sha256: string }, note = ''): void => {
    if (recorded.sha256 !== now.sha256) problems.push(`${what} ${shown(now.file)} 与清单记录的 ${recorded.path} 内容不同${note}`);
  };
  changed('数据文件', entry.data, inputs.data);
  changed('模板文件夹', entry.templates, inputs.templates);
  const looked = context.fontConfigLooked;
  changed('字体配置', entry.fontConfig, inputs.fontConfig, looked?.length ? `（清单记录的那一份已不在 ${looked.join(' 或 ')}）` : '');
  problems.push(...fontProblems(entry.fonts, inputs.fonts, shown));
  if (inputs.version !== entry.version) problems.push(`budget-pdf 版本不同（清单 ${entry.version}，现在 ${inputs.version}）`);

  if (rerender.sha256 !== entry.sha256) {
    // Another Node or ICU may break lines elsewhere (line breaking uses ICU's word dictionary).
    const now = runtimeVersion();
    const runtime = entry.runtime !== null && entry.runtime !== now ? `；生成时是 ${entry.runtime}，现在是 ${now}，请用生成时的版本核验` : '';
    problems.push(`重新生成的 PDF 与清单不同（sha256 ${short(rerender.sha256)}，清单记录 ${short(entry.sha256)}）${runtime}`);
  }
  return problems;
}

/**
 * The fonts by content: a font whose bytes were recorded is the same font wherever it lies now.
 * Paths only name the difference: a current font beside a recorded one of the same name has
 * changed; other unrecorded ones are new; recorded ones left over are no longer used.
 */
function fontProblems(recorded: readonly HashedFile[], current: readonly { file: string; sha256: string }[], shown: (file: string) => string): string[] {
  const recordedHashes = new Set(recorded.map((f) => f.sha256));
  const currentHashes = new Set(current.map((f) => f.sha256));
  const missing = recorded.filter((f) => !currentHashes.has(f.sha256));
  const problems: string[] = [];
  for (const font of current.filter((f) => !recordedHashes.has(f.sha256))) {
    const name = baseName(font.file);
    const before = missing.findIndex((f) => baseName(f.path) === name);
    if (before >= 0) {
      problems.push(`字体文件 ${shown(font.file)} 与清单记录的 ${missing[before]!.path} 内容不同`);
      missing.splice(before, 1);
    } else problems.push(`字体文件 ${shown(font.file)} 是新用的（清单中没有）`);
  }
  for (const font of missing) problems.push(`清单记录的字体文件 ${font.path} 不再使用`);
  return problems;
}

const baseName = (path: string): string => path.split(/[\\/]/).pop()!;
