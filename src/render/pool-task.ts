/**
 * A render task as the worker pool runs it. `fontConfig` picks the fonts.yaml for this one
 * task, where otherwise every render uses the process's (BUDGET_PDF_FONTS, else the default):
 * verify re-renders each entry with the configuration its manifest recorded. The font loader
 * reads the variable as it loads, so the task sets it around its render and then puts it back;
 * renders in one thread run one at a time, and a worker thread's environment is its own copy.
 */
import { FONTS_CONFIG_ENV } from '../pdf/fonts.js';
import { renderArtifact, type RenderOutcome, type RenderTask } from './render-artifact.js';

export interface PoolTask extends RenderTask {
  /** Absolute path of the fonts.yaml to render with; absent: the process's. */
  fontConfig?: string;
}

export async function renderPoolTask(task: PoolTask): Promise<RenderOutcome> {
  if (task.fontConfig === undefined) return renderArtifact(task);
  const previous = process.env[FONTS_CONFIG_ENV];
  process.env[FONTS_CONFIG_ENV] = task.fontConfig;
  try {
    return await renderArtifact(task);
  } finally {
    if (previous === undefined) delete process.env[FONTS_CONFIG_ENV];
    else process.env[FONTS_CONFIG_ENV] = previous;
  }
}
