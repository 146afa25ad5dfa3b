/**
 * Which characters a composed document draws in which font role, and where in the
 * data file each one comes from, so a missing glyph is reported at its YAML line.
 */
import { readFileSync } from 'node:fs';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { checkGlyphs, type FontRole, type FontSet, type GlyphUsage } from '../pdf/fonts.js';

const CONTENT_KEYS = ['section', 'text', 'stack', 'columns', 'ul', 'ol'] as const;

/** Every text string of the definition with the role (pdfmake family) it is set in. */
export function collectTexts(definition: TDocumentDefinitions, defaultRole: FontRole): { text: string; role: FontRole }[] {
  const out: { text: string; role: FontRole }[] = [];
  const walk = (node: unknown, role: FontRole): void => {
    if (typeof node === 'string') {
      out.push({ text: node, role });
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item, role);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const own = typeof n.font === 'string' ? (n.font as FontRole) : role;
    // Every key that holds content; a section (how each part and table starts its pages) included.
    for (const key of CONTENT_KEYS) if (key in n) walk(n[key], own);
    if (n.table && typeof n.table === 'object') walk((n.table as { body?: unknown }).body, own);
  };
  walk(definition.content as Content, defaultRole);
  return out;
}

/** Line and column of the first occurrence of `char` in the data file text, if it is there. */
function locateInSource(char: string, source: { file: string; text: string } | undefined): SourceLoc | undefined {
  if (!source) return undefined;
  const at = source.text.indexOf(char);
  if (at < 0) return undefined;
  const before = source.text.slice(0, at);
  const line = before.split('\n').length;
  // Columns count characters, as editors do: a character outside the BMP is one, not two UTF-16 units.
  const col = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { file: source.file, line, col };
}

function snippet(text: string): string {
  return `“${text.length > 24 ? `${text.slice(0, 24)}…` : text}”`;
}

/**
 * Missing-glyph findings for a composed document. The common case (every glyph present)
 * costs one pass over the distinct texts; only when something is missing are the
 * characters located in the data file, so the finding points at the YAML line.
 */
export function checkDocumentGlyphs(
  fonts: FontSet,
  definition: TDocumentDefinitions,
  defaultRole: FontRole,
  dataFile: string | undefined,
): Finding[] {
  const seen = new Set<string>();
  const usages: GlyphUsage[] = [];
  for (const { text, role } of collectTexts(definition, defaultRole)) {
    const key = `${role}\u0000${text}`;
    if (seen.has(key) || text.trim() === '') continue;
    seen.add(key);
    usages.push({ text, role, where: snippet(text) });
  }
  if (checkGlyphs(fonts, usages).length === 0) return [];
  // Only now is the data file read again, to point at where each missing character is written.
  const source = dataFile === undefined ? undefined : { file: dataFile, text: readFileSync(dataFile, 'utf8') };
  const precise: GlyphUsage[] = [];
  for (const u of usages) {
    const font = fonts.byRole[u.role].font;
    for (const ch of new Set(u.text)) {
      if (/\s/.test(ch) || font.hasGlyphForCodePoint(ch.codePointAt(0)!)) continue;
      const loc = locateInSource(ch, source);
      precise.push({ text: ch, role: u.role, where: loc ? `${snippet(u.text)}` : `${snippet(u.text)}（模板文字）`, loc });
    }
  }
  return checkGlyphs(fonts, precise);
}
