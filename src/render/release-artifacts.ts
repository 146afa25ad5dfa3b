/**
 * What a render leaves in its output folder: the PDF, `<name>.txt` with its page texts, and
 * an entry in the folder's manifest.json. The PDF and the text are each written atomically;
 * the manifest is updated after them, so it never names a file that was not written.
 */
import { dirname, extname, join } from 'node:path';
import { writeFileAtomic } from '../pdf/atomic-write.js';
import { ensureDirectory } from './ensure-directory.js';
import { sha256Hex } from '../review/input-hashes.js';
import { MANIFEST_FILE_NAME, manifestPath, runtimeVersion, type ManifestEntry } from '../review/manifest.js';
import { formatPageTextArtifact } from '../review/page-text-artifact.js';
import type { RenderOutcome, RenderTask } from './render-artifact.js';

export interface ArtifactPaths {
  pdf: string;
  text: string;
  manifest: string;
}

/** `dir/u1.pdf` → `dir/u1.txt` and `dir/manifest.json`. */
export function artifactPaths(pdf: string): ArtifactPaths {
  const stem = extname(pdf).toLowerCase() === '.pdf' ? pdf.slice(0, -extname(pdf).length) : pdf;
  return { pdf, text: `${stem}.txt`, manifest: join(dirname(pdf), MANIFEST_FILE_NAME) };
}

export type RenderedOutcome = RenderOutcome & Required<Pick<RenderOutcome, 'pdf' | 'sha256' | 'pageTexts' | 'inputs'>>;

export function isRendered(outcome: RenderOutcome): outcome is RenderedOutcome {
  return outcome.status === 0 && !!outcome.pdf && !!outcome.sha256 && !!outcome.pageTexts && !!outcome.inputs;
}

/** Write the PDF and its text; return the manifest entry describing them (not yet in the manifest). */
export async function writeRenderArtifacts(outcome: RenderedOutcome, task: RenderTask, paths: ArtifactPaths): Promise<ManifestEntry> {
  await ensureDirectory(dirname(paths.pdf));
  await writeFileAtomic(paths.pdf, outcome.pdf);
  const text = Buffer.from(formatPageTextArtifact(outcome.pageTexts), 'utf8');
  await writeFileAtomic(paths.text, text);
  return manifestEntry(outcome, task, paths, sha256Hex(text));
}

export function manifestEntry(outcome: RenderedOutcome, task: RenderTask, paths: ArtifactPaths, textSha256: string): ManifestEntry {
  const dir = dirname(paths.manifest);
  const hashed = (file: string, sha256: string) => ({ path: manifestPath(dir, file), sha256 });
  const { inputs } = outcome;
  return {
    pdf: manifestPath(dir, paths.pdf),
    sha256: outcome.sha256,
    pages: outcome.pageTexts.length,
    text: hashed(paths.text, textSha256),
    data: hashed(inputs.data.file, inputs.data.sha256),
    templates: hashed(inputs.templates.file, inputs.templates.sha256),
    fontConfig: hashed(inputs.fontConfig.file, inputs.fontConfig.sha256),
    fonts: inputs.fonts.map((f) => hashed(f.file, f.sha256)),
    version: inputs.version,
    draft: task.draft,
    sourceDateEpoch: task.sourceDateEpoch,
    workdir: manifestPath(dir, process.cwd()),
    runtime: runtimeVersion(),
  };
}
