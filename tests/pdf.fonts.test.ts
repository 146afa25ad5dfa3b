import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FontConfigError, FONTS_CONFIG_ENV } from '../src/pdf/font-config.js';
import { checkGlyphs, FONT_ROLES, loadFontSet, pdfmakeFontDictionary, type GlyphUsage } from '../src/pdf/fonts.js';
import { checkDocumentGlyphs } from '../src/render/glyph-usage.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const fontsDir = path.join(repoRoot, 'fonts');
const referenceText = path.join(repoRoot, 'tests', 'fixtures', 'reference-2022.txt');
const serif = path.join(fontsDir, 'NotoSerifSC-Regular.ttf');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'budget-pdf-fonts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let configCount = 0;
/** Writes `lines` as fonts.yaml in a fresh folder and returns its path. */
function writeConfig(lines: string[]): string {
  const dir = path.join(tmp, `config-${configCount++}`);
  mkdirSync(dir);
  const file = path.join(dir, 'fonts.yaml');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** All six roles on the shipped serif font (absolute path), with optional replacements by role. */
function roleLines(overrides: Record<string, string> = {}): string[] {
  return FONT_ROLES.map((role) => `  ${role}: ${overrides[role] ?? serif}`);
}

/** Loads the config and returns the FontConfigError it throws. */
function configError(configPath: string): FontConfigError {
  try {
    loadFontSet(configPath);
  } catch (error) {
    expect(error).toBeInstanceOf(FontConfigError);
    return error as FontConfigError;
  }
  throw new Error(`expected ${configPath} to be rejected`);
}

// The env var must not leak in from the shell running the tests.
let savedEnv: string | undefined;
beforeEach(() => {
  savedEnv = process.env[FONTS_CONFIG_ENV];
  delete process.env[FONTS_CONFIG_ENV];
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env[FONTS_CONFIG_ENV];
  else process.env[FONTS_CONFIG_ENV] = savedEnv;
});

describe('loadFontSet: the shipped fonts/fonts.yaml', () => {
  it('maps every role to a parsed font file in fonts/', () => {
    const set = loadFontSet();
    expect(set.configFile).toBe(path.join(fontsDir, 'fonts.yaml'));
    expect(Object.keys(set.byRole).sort()).toEqual([...FONT_ROLES].sort());
    expect(set.byRole.body.file).toBe(serif);
    expect(set.byRole.body.font.postscriptName).toBe('NotoSerifSC-Regular');
    expect(set.byRole.heading.font.postscriptName).toBe('NotoSansSC-Bold');
    expect(set.byRole.subheading.font.postscriptName).toBe('LXGWWenKai-Regular');
    expect(set.byRole.title.font.postscriptName).toBe('NotoSerifSC-Bold');
    for (const role of FONT_ROLES) {
      expect(set.byRole[role].role).toBe(role);
      expect(set.byRole[role].data.length).toBeGreaterThan(1_000_000);
    }
    expect(set.files).toEqual(
      ['LXGWWenKai-Regular.ttf', 'NotoSansSC-Bold.ttf', 'NotoSerifSC-Bold.ttf', 'NotoSerifSC-Regular.ttf'].map((f) =>
        path.join(fontsDir, f),
      ),
    );
  });

  // Identity is compared as booleans: handing a fontkit Font to a matcher makes vitest walk
  // its lazy table getters (decoding the whole font) to diff or print it, which runs out of memory.
  it('parses each font file once per process: a second load returns the same objects', () => {
    const first = loadFontSet();
    const second = loadFontSet();
    expect(second === first).toBe(false);
    for (const role of FONT_ROLES) {
      expect(second.byRole[role].font === first.byRole[role].font, role).toBe(true);
      expect(second.byRole[role].data === first.byRole[role].data, role).toBe(true);
    }
    // Roles sharing a file share the parsed font.
    expect(first.byRole.table.font === first.byRole.body.font).toBe(true);
    // Another config naming the same file reuses it too.
    const other = loadFontSet(writeConfig(['roles:', ...roleLines()]));
    expect(other.byRole.heading.font === first.byRole.body.font).toBe(true);
  });

  it('gives pdfmake one family per role, every style on the role file', () => {
    const set = loadFontSet();
    const dictionary = pdfmakeFontDictionary(set);
    expect(Object.keys(dictionary).sort()).toEqual([...FONT_ROLES].sort());
    const heading = path.join(fontsDir, 'NotoSansSC-Bold.ttf');
    expect(dictionary.heading).toEqual({ normal: heading, bold: heading, italics: heading, bolditalics: heading });
    expect(dictionary.body!.normal).toBe(serif);
  });
});

describe('loadFontSet: other configs', () => {
  it('resolves relative paths against the yaml file, not the working directory', () => {
    const file = writeConfig(['roles:', ...roleLines({ body: 'my-body.ttf' })]);
    symlinkSync(serif, path.join(path.dirname(file), 'my-body.ttf'));
    const set = loadFontSet(file);
    expect(set.configFile).toBe(file);
    expect(set.byRole.body.file).toBe(path.join(path.dirname(file), 'my-body.ttf'));
    // Sorted by absolute path, so the order depends on where the checkout lives.
    expect(set.files).toEqual([path.join(path.dirname(file), 'my-body.ttf'), serif].sort());
  });

  it(`reads the config named by ${FONTS_CONFIG_ENV} when no path is given`, () => {
    const file = writeConfig(['roles:', ...roleLines()]);
    process.env[FONTS_CONFIG_ENV] = file;
    const set = loadFontSet();
    expect(set.configFile).toBe(file);
    expect(set.files).toEqual([serif]);
  });
});

describe('loadFontSet: errors name fonts.yaml and the line', () => {
  it('a font file that does not exist', () => {
    const file = writeConfig(['# my fonts', 'roles:', ...roleLines({ table: 'nowhere/FangSong_GB2312.ttf' })]);
    const error = configError(file);
    const line = 3 + FONT_ROLES.indexOf('table');
    expect(error.finding).toMatchObject({ rule: 'font.file-missing', severity: 'error', loc: { line, col: 10 } });
    expect(error.finding.loc!.file).toContain('fonts.yaml');
    expect(error.message).toContain(`fonts.yaml:${line}:10`);
    expect(error.message).toContain('table');
    expect(error.message).toContain(path.join(path.dirname(file), 'nowhere', 'FangSong_GB2312.ttf'));
  });

  it('an unknown role', () => {
    const file = writeConfig(['roles:', ...roleLines(), '  number: NotoSerifSC-Regular.ttf']);
    const error = configError(file);
    expect(error.finding).toMatchObject({ rule: 'font.unknown-role', loc: { line: 2 + FONT_ROLES.length, col: 3 } });
    expect(error.message).toContain('number');
    expect(error.message).toContain('tableHeader');
  });

  it('a missing role', () => {
    const lines = roleLines().filter((line) => !line.startsWith('  subheading:'));
    const error = configError(writeConfig(['', 'roles:', ...lines]));
    expect(error.finding).toMatchObject({ rule: 'font.missing-role', loc: { line: 2, col: 1 } });
    expect(error.message).toContain('subheading');
  });

  it('a file that is not a font', () => {
    const file = writeConfig(['roles:', ...roleLines({ body: 'notes.ttf' })]);
    writeFileSync(path.join(path.dirname(file), 'notes.ttf'), 'this is text, not a font\n'.repeat(20));
    const error = configError(file);
    expect(error.finding).toMatchObject({ rule: 'font.not-a-font', loc: { line: 2 + FONT_ROLES.indexOf('body'), col: 9 } });
    expect(error.message).toContain('notes.ttf');
  });

  it('a path that is a directory', () => {
    const file = writeConfig(['roles:', ...roleLines({ title: '.' })]);
    const error = configError(file);
    expect(error.finding.rule).toBe('font.file-unreadable');
    expect(error.finding.loc!.line).toBe(2);
  });

  it('broken YAML, a role without a file, a config without roles, a config that does not exist', () => {
    expect(configError(writeConfig(['roles:', '  body: [unclosed'])).finding).toMatchObject({
      rule: 'font.config-syntax',
      loc: { line: 3 },
    });
    expect(configError(writeConfig(['roles:', ...roleLines({ body: '' })])).finding).toMatchObject({
      rule: 'font.config-shape',
      loc: { line: 2 + FONT_ROLES.indexOf('body') },
    });
    expect(configError(writeConfig(['fonts:', ...roleLines()])).finding).toMatchObject({
      rule: 'font.config-shape',
      loc: { line: 1, col: 1 },
    });
    const absent = path.join(tmp, 'absent', 'fonts.yaml');
    const error = configError(absent);
    expect(error.finding.rule).toBe('font.config-unreadable');
    expect(error.message).toContain(absent);
  });
});

describe('checkGlyphs', () => {
  const set = loadFontSet();
  const usage = (text: string, where: string, role: GlyphUsage['role'] = 'body', line = 1): GlyphUsage => ({
    text,
    role,
    where,
    loc: { file: 'data/unit.yaml', line, col: 5 },
  });

  it('reports a private-use character with its code point, the font and where it is used', () => {
    const findings = checkGlyphs(set, [usage('办公费\uE000合计', 'projects[3].name', 'table', 12)]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      rule: 'font.missing-glyph',
      severity: 'error',
      loc: { file: 'data/unit.yaml', line: 12, col: 5 },
    });
    expect(finding!.message).toContain('\uE000');
    expect(finding!.message).toContain('U+E000');
    expect(finding!.message).toContain('NotoSerifSC-Regular.ttf');
    expect(finding!.message).toContain('table');
    expect(finding!.message).toContain('data/unit.yaml:12:5 projects[3].name');
  });

  it('reports an astral character (emoji) by its full code point', () => {
    const [finding] = checkGlyphs(set, [usage('说明😀', 'sections[0].text', 'heading')]);
    expect(finding!.message).toContain('U+1F600');
    expect(finding!.message).toContain('NotoSansSC-Bold.ttf');
  });

  it('gives one finding per character and role, listing the first places and the count', () => {
    const places = [1, 2, 3, 4, 5].map((n) => usage(`项目${'\uE000'.repeat(2)}`, `projects[${n}].name`, 'body', n));
    const findings = checkGlyphs(set, [...places, usage('\uE000', '表 项目支出预算表 表头', 'tableHeader')]);
    expect(findings.map((f) => f.message.match(/角色 (\w+)/)![1])).toEqual(['body', 'tableHeader']);
    const body = findings[0]!;
    expect(body.message).toContain('projects[1].name');
    expect(body.message).toContain('projects[3].name');
    expect(body.message).not.toContain('projects[4].name');
    expect(body.message).toContain('共 5 处');
    expect(body.related?.map((loc) => loc.line)).toEqual([2, 3]);
    expect(findings[1]!.message).toContain('表 项目支出预算表 表头');
  });

  it('names a place without a source location by its description', () => {
    const [finding] = checkGlyphs(set, [{ text: '\uE001', role: 'title', where: '标题' }]);
    expect(finding!.loc).toBeUndefined();
    expect(finding!.message).toContain('U+E001');
    expect(finding!.message).toContain('用于：标题');
  });

  it('ignores whitespace and control characters', () => {
    expect(checkGlyphs(set, [usage('收入\t合计\n 866.01\u3000万元\r\u0007', 'x')])).toEqual([]);
  });

  it('passes for every character of the reference publication, in every role', () => {
    const text = readFileSync(referenceText, 'utf8');
    const usages = FONT_ROLES.map((role) => ({ text, role, where: 'reference' }));
    expect(checkGlyphs(set, usages)).toEqual([]);
  });
});

describe('checkDocumentGlyphs: where a missing character is written', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'budget-pdf-glyph-where-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const set = loadFontSet();

  it('points at the data value that holds it, not a comment with the same character, and at a template line for template text', () => {
    const data = path.join(work, 'unit.yaml');
    writeFileSync(data, ['# 备注：𠀀 在注释里', 'unit:', '  name: 测试单位', 'projects:', '  - name: 值班费𠀀', ''].join('\n'));
    const templates = path.join(work, 'templates');
    mkdirSync(path.join(templates, 'tables'), { recursive: true });
    writeFileSync(path.join(templates, 'report.yaml'), ['# 𠀁 in a comment', 'toc:', '  title: 目录𠀁', ''].join('\n'));
    const definition = { content: [{ text: '值班费𠀀', font: 'table' }, { text: [{ text: '目录𠀁' }], font: 'heading' }] };
    const findings = checkDocumentGlyphs(set, definition as never, 'body', data, templates);
    const byChar = new Map(findings.map((f) => [f.message.match(/字符「(.+?)」/u)![1], f]));
    expect(byChar.get('𠀀')!.loc).toEqual({ file: data, line: 5, col: 14 });
    expect(byChar.get('𠀁')!.loc).toEqual({ file: path.join(templates, 'report.yaml'), line: 3, col: 12 });
    expect(byChar.get('𠀁')!.message).toContain('（模板文字）');
    expect(byChar.get('𠀀')!.message).not.toContain('（模板文字）');
  });
});
