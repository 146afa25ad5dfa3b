/**
 * pdfmake's own modules (and the pdfkit it loads), for the few places that patch or reuse them.
 * Resolved from pdfmake's location, so they are the very instances pdfmake uses.
 */
import { createRequire } from 'node:module';

const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));

/** A module of pdfmake's `js/` folder by its relative path (`./DocMeasure.js`), or a package pdfmake depends on (`pdfkit`). */
export function requirePdfmakeModule<T>(id: string): T {
  return requireFromPdfmake(id) as T;
}

/** The default export of a module of pdfmake's `js/` folder (its classes are compiled ES modules). */
export function pdfmakeClass<T>(id: string): T {
  return requirePdfmakeModule<{ default: T }>(id).default;
}
