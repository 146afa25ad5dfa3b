/**
 * Which characters a composed document draws in which font role, and where in the data file
 * (or the template set) each one is written, so a missing glyph is reported at its line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { visit } from 'yaml';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Finding, SourceLoc } from '../budget/findings.js';
import { parseYamlSource, readSourceText } from '../budget/source.js';
import { checkGlyphs, type FontRole, type FontSet, type GlyphUsage } from '../pdf/fonts.js';
import { listFiles } from '../review/input-hashes.js';

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

/** A piece of source text a drawn line may come from: a string value of the data, or a line of a template file. */
interface SourcePiece {
  text: string;
  /** Where `char` (which the piece holds) is written. */
  locate(char: string): SourceLoc;
}

/** Every string value of the data file; comments and keys are not text the document prints. */
function dataPieces(dataFile: string): SourcePiece[] {
  const parsed = parseYamlSource(readSourceText(dataFile));
  if (!parsed.yaml) return [];
  const { yaml } = parsed;
  const pieces: SourcePiece[] = [];
  visit(yaml.root, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string') return;
      const [start, end] = node.range ?? [0, 0];
      // In the value's source (quoted, plain or a block over several lines), the character itself.
      const locate = (char: string): SourceLoc => {
        let at = yaml.text.indexOf(char, start);
        if (at < 0 || at >= end) at = start;
        const loc = yaml.locAt(at);
        return { ...loc, col: editorColumn(yaml.text.slice(at - (loc.col - 1)), loc.col - 1) };
      };
      pieces.push({ text: node.value, locate });
    },
  });
  return pieces;
}

/** The 1-based column of the UTF-16 offset `at` in `line`, counting code points as editors do (an emoji is one column). */
function editorColumn(line: string, at: number): number {
  return [...line.slice(0, at)].length + 1;
}

const TEMPLATE_FILE = /\.(ya?ml|hbs)$/;

/** Every line of the template set's files (YAML comment lines left out), in file order. */
function templatePieces(dir: string): SourcePiece[] {
  const pieces: SourcePiece[] = [];
  for (const name of listFiles(dir).filter((f) => TEMPLATE_FILE.test(f))) {
    const file = join(dir, ...name.split('/'));
    const yaml = !name.endsWith('.hbs');
    readFileSync(file, 'utf8').split(/\r?\n/).forEach((text, i) => {
      if (yaml && text.trimStart().startsWith('#')) return;
      pieces.push({ text, locate: (char) => ({ file, line: i + 1, col: editorColumn(text, text.indexOf(char)) }) });
    });
  }
  return pieces;
}

/**
 * Where a character of a drawn line is written: preferably a data value or template line that the
 * drawn text shares (a line is part of a value, or holds the value whole, like a title holding the
 * unit's name); else the first data value with it, then the first template line with it.
 */
function locateChar(char: string, drawn: string, sources: readonly SourcePiece[][]): { loc: SourceLoc; template: boolean } | undefined {
  const related = (piece: SourcePiece): boolean => piece.text.includes(char) && (piece.text.includes(drawn) || drawn.includes(piece.text.trim()));
  for (const match of [related, (piece: SourcePiece) => piece.text.includes(char)]) {
    for (const [index, pieces] of sources.entries()) {
      const found = pieces.find(match);
      if (found) return { loc: found.locate(char), template: index > 0 };
    }
  }
  return undefined;
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
  templateDir?: string,
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
  // Only now are the data and the templates read again, to point at where each missing character is written.
  const sources = [dataFile === undefined ? [] : dataPieces(dataFile), templateDir === undefined ? [] : templatePieces(templateDir)];
  const precise: GlyphUsage[] = [];
  for (const u of usages) {
    const font = fonts.byRole[u.role].font;
    for (const ch of new Set(u.text)) {
      if (/\s/.test(ch) || font.hasGlyphForCodePoint(ch.codePointAt(0)!)) continue;
      const found = locateChar(ch, u.text, sources);
      precise.push({ text: ch, role: u.role, where: found?.template === false ? snippet(u.text) : `${snippet(u.text)}（模板文字）`, loc: found?.loc });
    }
  }
  return checkGlyphs(fonts, precise);
}
