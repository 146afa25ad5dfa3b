/**
 * The text form of a finding (src/budget/findings.ts), as `check` and `render` print it: every
 * related line of the same file, consecutive lines as one range, other files as file:line, and
 * a bound on how long one line of output can get.
 */
import { describe, expect, it } from 'vitest';
import { findingText, relatedText, type Finding, type SourceLoc } from '../src/budget/findings.js';

const at = (line: number, file = 'data/x.yaml'): SourceLoc => ({ file, line, col: 3 });

function finding(loc: SourceLoc | undefined, related: SourceLoc[]): Finding {
  return { rule: 'sum.economic-total', severity: 'error', message: '经济分类合计 1.00 与 功能分类合计 1.01 不等，相差 0.01', loc, related };
}

describe('findingText', () => {
  it('lists every related line, consecutive ones as a range, without repeating its own line', () => {
    const f = finding(at(95), [at(90), at(95), at(96), at(97), at(98), at(76), at(77), at(84), at(90)]);
    expect(findingText(f, 'data/x.yaml')).toBe(
      'data/x.yaml:95:3  sum.economic-total  经济分类合计 1.00 与 功能分类合计 1.01 不等，相差 0.01（另见 第 76–77、84、90、96–98 行）',
    );
  });

  it('names places in other files by file and line', () => {
    expect(relatedText(finding(at(3), [at(7), at(12, 'templates/t.yaml')]), 'data/x.yaml')).toBe('（另见 第 7 行，templates/t.yaml:12）');
  });

  it('prints nothing extra when nothing else takes part, and 警告： for a warning', () => {
    const f: Finding = { rule: 'data.missing', severity: 'warning', message: '缺少政府采购预算', loc: at(8), related: [at(8)] };
    expect(findingText(f, 'data/x.yaml')).toBe('data/x.yaml:8:3  data.missing  警告：缺少政府采购预算');
    expect(findingText({ ...f, loc: undefined, related: undefined }, 'data/x.yaml')).toBe('data/x.yaml  data.missing  警告：缺少政府采购预算');
  });

  it('stops after 40 places and says how many there are', () => {
    const related = Array.from({ length: 100 }, (_, i) => at(10 + 2 * i));
    const text = relatedText(finding(at(1), related), 'data/x.yaml');
    expect(text).toMatch(/^（另见 第 10、12、14、.*、88 行 等，共 100 处（--format json 列出全部））$/);
    expect(text.split('、')).toHaveLength(40);
  });
});
