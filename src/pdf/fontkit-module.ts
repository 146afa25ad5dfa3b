/**
 * The one fontkit module of the process: the CommonJS build that pdfkit itself requires.
 *
 * Why: importing 'fontkit' from ESM loads its ES build, a second copy of fontkit and its
 * dependencies (tens of milliseconds of start-up), and fonts parsed by one copy are foreign to
 * the other. Everything here (fonts.ts, the font sharing with pdfkit, the layout fast path)
 * uses the instance pdfkit uses.
 */
import { createRequire } from 'node:module';
import type * as Fontkit from 'fontkit';

const requireHere = createRequire(import.meta.url);
const requireFromPdfkit = createRequire(requireHere.resolve('pdfkit'));

export const fontkit = requireFromPdfkit('fontkit') as typeof Fontkit & { registerFormat(format: unknown): void };

/** A module that fontkit depends on, resolved from fontkit's own location (not a dependency of ours). */
export function requireFromFontkit<T>(id: string): T {
  return createRequire(requireFromPdfkit.resolve('fontkit'))(id) as T;
}
