/**
 * fonts/fonts.yaml read and checked, without loading any font: which file serves each role, with
 * the file:line of every problem. Kept apart from fonts.ts (which parses the fonts with fontkit) so
 * that knowing the font files costs only the YAML parser: a render starts reading them while the
 * rest of the program is still loading (font-prefetch.ts), and a batch shares them with its workers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { formatLoc, type Finding, type SourceLoc } from '../budget/findings.js';
import { displayPath } from '../display-path.js';
import { FONT_ROLES, type FontRole } from './font-roles.js';

/** Environment variable that points at another fonts.yaml (absolute, or relative to the working directory). */
export const FONTS_CONFIG_ENV = 'BUDGET_PDF_FONTS';

/** A fonts.yaml problem, carried as a Finding so the CLI prints it like any other finding. */
export class FontConfigError extends Error {
  readonly finding: Finding;

  constructor(finding: Finding) {
    super(finding.loc ? `${formatLoc(finding.loc)}: ${finding.message}` : finding.message);
    this.name = 'FontConfigError';
    this.finding = finding;
  }
}

// Resolved from this module's location, not the cwd, so an installed CLI works from any
// directory. Both src/pdf/font-config.ts and the compiled dist/pdf/font-config.js sit two levels below the root.
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_CONFIG = path.join(REPO_ROOT, 'fonts', 'fonts.yaml');

export interface RoleEntry {
  role: FontRole;
  file: string;
  /** Where the file is named in fonts.yaml. */
  where: SourceLoc;
}

/**
 * fonts.yaml read and checked: each role's font file, in the order the file lists them, and the
 * error for roles it lacks (raised by the caller after the listed fonts, as loading reports them).
 */
export function resolveFontRoles(configPath?: string): { configFile: string; shown: string; entries: RoleEntry[]; missingRoles: FontConfigError | null } {
  const configFile = path.resolve(configPath ?? process.env[FONTS_CONFIG_ENV] ?? DEFAULT_CONFIG);
  const shown = displayPath(configFile);
  const text = readConfigText(configFile, shown);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locAt = (offset: number | undefined): SourceLoc => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file: shown, line: pos.line, col: pos.col };
  };
  const errorAt = (rule: string, message: string, node?: YamlNode | null): FontConfigError =>
    new FontConfigError({ rule, severity: 'error', message, loc: locAt(node?.range?.[0]) });

  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new FontConfigError({
      rule: 'font.config-syntax',
      severity: 'error',
      message: `字体配置 ${shown} 不是有效的 YAML：${first.message.split('\n')[0]}`,
      loc: locAt(first.pos[0]),
    });
  }
  const top = doc.contents;
  if (!isMap(top)) {
    throw errorAt('font.config-shape', `字体配置 ${shown} 应为映射，顶层只含 roles: 一项`, top);
  }
  let rolesKey: YamlNode | null = null;
  let rolesNode: unknown = null;
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'roles') {
      throw errorAt('font.config-shape', `字体配置 ${shown} 中有未知的键「${key}」；顶层只允许 roles:`, pair.key as YamlNode);
    }
    rolesKey = pair.key as YamlNode;
    rolesNode = pair.value;
  }
  const roles = rolesNode;
  if (!isMap(roles)) {
    const near = isScalar(roles) ? roles : (rolesKey ?? top);
    throw errorAt('font.config-shape', `字体配置 ${shown} 缺少 roles: 映射（角色 → 字体文件）`, near);
  }

  const configDir = path.dirname(configFile);
  const entries: RoleEntry[] = [];
  for (const pair of roles.items) {
    const keyNode = pair.key as YamlNode;
    const role = isScalar(keyNode) ? String(keyNode.value) : '';
    if (!isFontRole(role)) {
      throw errorAt('font.unknown-role', `字体配置 ${shown} 中有未知的字体角色「${role}」；可用的角色：${FONT_ROLES.join('、')}`, keyNode);
    }
    const valueNode = pair.value;
    const value = isScalar(valueNode) && typeof valueNode.value === 'string' ? valueNode.value.trim() : '';
    if (!isScalar(valueNode) || value === '') {
      throw errorAt('font.config-shape', `字体配置 ${shown} 中角色 ${role} 的值应为字体文件路径（相对于 ${shown}，或绝对路径）`, isScalar(valueNode) ? valueNode : keyNode);
    }
    entries.push({ role, file: path.resolve(configDir, value), where: locAt(valueNode.range?.[0]) });
  }

  const missing = FONT_ROLES.filter((role) => !entries.some((entry) => entry.role === role));
  const missingRoles =
    missing.length > 0 ? errorAt('font.missing-role', `字体配置 ${shown} 缺少字体角色：${missing.join('、')}（每个角色都要指定字体文件）`, rolesKey) : null;
  return { configFile, shown, entries, missingRoles };
}

/**
 * The font files a render with this configuration will load, for a batch to read them once into
 * shared memory (see shared-font-bytes.ts). Empty when the configuration has a problem: each
 * render then reports it.
 */
export function fontFilesToShare(configPath?: string): string[] {
  try {
    return [...new Set(resolveFontRoles(configPath).entries.map((entry) => entry.file))].sort();
  } catch (error) {
    if (error instanceof FontConfigError) return [];
    throw error;
  }
}

function isFontRole(name: string): name is FontRole {
  return (FONT_ROLES as readonly string[]).includes(name);
}

function readConfigText(configFile: string, shown: string): string {
  try {
    return readFileSync(configFile, 'utf8');
  } catch (error) {
    const hint = process.env[FONTS_CONFIG_ENV] ? `（环境变量 ${FONTS_CONFIG_ENV}=${process.env[FONTS_CONFIG_ENV]}）` : '';
    throw new FontConfigError({
      rule: 'font.config-unreadable',
      severity: 'error',
      message: `无法读取字体配置 ${shown}${hint}：${systemReason(error)}`,
    });
  }
}

export function systemReason(error: unknown): string {
  return (error instanceof Error && error.message) || String(error);
}
