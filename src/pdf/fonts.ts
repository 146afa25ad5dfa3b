/**
 * Fonts are configuration: fonts/fonts.yaml maps each typographic role to a font file
 * (read and checked by font-config.ts). This module parses each font once per process, gives
 * pdfmake its `fonts` dictionary, and checks that every character the document uses has a
 * glyph in the font of its role.
 */
import { readFileSync } from 'node:fs';
import type * as Fontkit from 'fontkit';
import { codePointLabel, formatLoc, type Finding, type SourceLoc } from '../budget/findings.js';
import { displayPath } from '../display-path.js';
import { FontConfigError, resolveFontRoles, systemReason } from './font-config.js';
import { installFastLayout } from './fast-layout.js';
import { cacheGlyphOutlines } from './glyph-outline-cache.js';
import { fontkit } from './fontkit-module.js';
import { providedFontBytes } from './shared-font-bytes.js';

import { FONT_ROLES, type FontRole } from './font-roles.js';

export { FONT_ROLES, type FontRole };

export interface LoadedFont {
  role: FontRole;
  /** Absolute path of the font file. */
  file: string;
  data: Buffer;
  font: Fontkit.Font;
}

export interface FontSet {
  /** Absolute path of the fonts.yaml this set was loaded from. */
  configFile: string;
  byRole: Record<FontRole, LoadedFont>;
  /** Unique absolute paths of the font files, sorted. */
  files: string[];
}

export interface GlyphUsage {
  text: string;
  role: FontRole;
  /** Human-readable place, e.g. `data/x.yaml:12:5 projects[3].name` or `表 项目支出预算表 表头`. */
  where: string;
  loc?: SourceLoc;
}

interface ParsedFont {
  data: Buffer;
  font: Fontkit.Font;
}

// Parsing a CJK font costs tens of milliseconds and megabytes; do it once per file per process.
const parsedFonts = new Map<string, ParsedFont>();

export function loadFontSet(configPath?: string): FontSet {
  const { configFile, shown, entries, missingRoles } = resolveFontRoles(configPath);
  const byRole: Partial<Record<FontRole, LoadedFont>> = {};
  for (const { role, file, where } of entries) {
    const parsed = parseFontFile(file, role, shown, where);
    byRole[role] = { role, file, data: parsed.data, font: parsed.font };
  }
  if (missingRoles) throw missingRoles;

  const files = [...new Set(FONT_ROLES.map((role) => byRole[role]!.file))].sort();
  return { configFile, byRole: byRole as Record<FontRole, LoadedFont>, files };
}

/**
 * pdfmake `fonts` dictionary: one family per role, named after the role; every style uses the
 * role's file (a role is one face; bold/italic text does not switch files).
 * Values are absolute paths: pdfmake 0.3.11 treats a non-string font source as a URL object
 * while resolving URLs, so a Buffer here would fail.
 */
export function pdfmakeFontDictionary(
  set: FontSet,
): Record<string, { normal: string | Buffer; bold: string | Buffer; italics: string | Buffer; bolditalics: string | Buffer }> {
  const dictionary: Record<string, { normal: string; bold: string; italics: string; bolditalics: string }> = {};
  for (const role of FONT_ROLES) {
    const file = set.byRole[role].file;
    dictionary[role] = { normal: file, bold: file, italics: file, bolditalics: file };
  }
  return dictionary;
}

/** How many places a missing-glyph finding lists before summarising the rest. */
const PLACES_LISTED = 3;

/**
 * Every character (except whitespace and control characters) must have a glyph in its role's font.
 * One finding per (character, role), in order of first use, listing the first few places.
 */
export function checkGlyphs(set: FontSet, usages: GlyphUsage[]): Finding[] {
  const missing = new Map<string, { char: string; role: FontRole; places: GlyphUsage[] }>();

  for (const usage of usages) {
    const font = set.byRole[usage.role].font;
    const fine = fineCodePoints(font);
    const seenInThisUsage = new Set<string>();
    const text = usage.text;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      let ok = fine.get(cp);
      if (ok === undefined) {
        ok = NOT_DRAWN.test(String.fromCodePoint(cp)) || font.hasGlyphForCodePoint(cp);
        fine.set(cp, ok);
      }
      if (ok) continue;
      const char = String.fromCodePoint(cp);
      const key = `${usage.role}\u0000${char}`;
      if (seenInThisUsage.has(key)) continue;
      seenInThisUsage.add(key);
      const entry = missing.get(key) ?? { char, role: usage.role, places: [] };
      entry.places.push(usage);
      missing.set(key, entry);
    }
  }

  return [...missing.values()].map(({ char, role, places }) => {
    const listed = places.slice(0, PLACES_LISTED).map(describePlace).join('；');
    const more = places.length > PLACES_LISTED ? `；等共 ${places.length} 处` : '';
    const located = places.filter((p) => p.loc).map((p) => p.loc!);
    return {
      rule: 'font.missing-glyph',
      severity: 'error' as const,
      message:
        `字符「${char}」(${codePointLabel(char)}) 在字体 ${displayPath(set.byRole[role].file)}（角色 ${role}）中没有字形；` +
        `用于：${listed}${more}`,
      loc: located[0],
      related: located.length > 1 ? located.slice(1, PLACES_LISTED) : undefined,
    };
  });
}

/**
 * Per font, the code points already looked at: true when the font has a glyph or none is needed.
 * Kept for the process: every document of a batch sets mostly the same characters.
 */
const fineByFont = new WeakMap<Fontkit.Font, Map<number, boolean>>();

function fineCodePoints(font: Fontkit.Font): Map<number, boolean> {
  let fine = fineByFont.get(font);
  if (!fine) {
    fine = new Map();
    fineByFont.set(font, fine);
  }
  return fine;
}

/** Whitespace and control characters are never drawn, so they need no glyph. */
const NOT_DRAWN = /^[\s\p{Cc}]$/u;

function describePlace(usage: GlyphUsage): string {
  if (!usage.loc || usage.where.includes(formatLoc(usage.loc))) return usage.where;
  return `${formatLoc(usage.loc)} ${usage.where}`;
}

function parseFontFile(file: string, role: FontRole, shownConfig: string, where: SourceLoc): ParsedFont {
  const cached = parsedFonts.get(file);
  if (cached) return cached;

  const problem = (rule: string, message: string): FontConfigError =>
    new FontConfigError({ rule, severity: 'error', message, loc: where });

  let data: Buffer;
  try {
    data = providedFontBytes(file) ?? readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw problem('font.file-missing', `字体配置 ${shownConfig} 中角色 ${role} 的字体文件不存在：${file}`);
    }
    throw problem('font.file-unreadable', `字体配置 ${shownConfig} 中角色 ${role} 的字体文件无法读取：${file}（${systemReason(error)}）`);
  }

  let font: Fontkit.Font | Fontkit.FontCollection;
  try {
    font = fontkit.create(data);
    if (font.type === 'TTF') {
      // Touch the tables the renderer needs, so a truncated file fails here and not mid-render.
      void font.postscriptName;
      void font.numGlyphs;
      font.hasGlyphForCodePoint(0x20);
    }
  } catch (error) {
    throw problem(
      'font.not-a-font',
      `字体配置 ${shownConfig} 中角色 ${role} 的文件不是可用的 TrueType/OpenType 字体：${file}（${systemReason(error)}）`,
    );
  }
  if (font.type !== 'TTF') {
    throw problem(
      'font.not-a-font',
      `字体配置 ${shownConfig} 中角色 ${role} 的文件是 ${font.type} 格式：${file}；` +
        `请使用单个 TrueType/OpenType 字体文件（.ttf/.otf），字体集合（.ttc）请先拆出所需字体`,
    );
  }

  // Every layout of this font (ours, pdfmake's measuring, pdfkit's encoding) takes the exact fast path.
  installFastLayout(font);
  // Subsetting decodes each used glyph; decode it once per process, not once per document.
  cacheGlyphOutlines(font);
  const parsed = { data, font };
  parsedFonts.set(file, parsed);
  return parsed;
}

