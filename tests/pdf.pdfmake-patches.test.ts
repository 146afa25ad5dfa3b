/**
 * The speed patches on pdfmake and pdfkit must give pdfmake's own answers and bytes.
 * Each is compared with the code it replaces, captured before the patch is installed.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RecentCache, RecentCachePerOwner } from '../src/pdf/recent-cache.js';
import { chunksToBuffers } from '../src/pdf/pdfkit-stream-text.js';
import { installStyleLookup } from '../src/pdf/pdfmake-style-lookup.js';

const requireFromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));

interface Stack {
  push(entry: unknown): void;
  getProperty(property: string): unknown;
}
type StackClass = (new (dictionary: Record<string, unknown>, defaultStyle?: Record<string, unknown>) => Stack) & {
  prototype: Stack;
  getStyleProperty(item: unknown, stack: Stack | undefined, property: string, defaultValue: unknown): unknown;
};

describe('style lookup in place', () => {
  const StyleContextStack = (requireFromPdfmake('./StyleContextStack.js') as { default: StackClass }).default;
  const originalGetProperty = StyleContextStack.prototype.getProperty;
  const originalGetStyleProperty = StyleContextStack.getStyleProperty;

  const dictionary = {
    base: { fontSize: 10, color: 'black' },
    heading: { extends: 'base', bold: true },
    big: { extends: ['heading', 'base'], fontSize: 16 },
    loopA: { extends: 'loopB' },
    loopB: { extends: 'loopA', italics: true },
    nullish: { fontSize: null },
  };
  const stacks: unknown[][] = [[], ['base'], ['heading', { color: 'red' }], ['big', 'loopA'], [{ fontSize: 7 }, 'nullish'], ['missing', 'loopB']];
  const items: unknown[] = [
    'plain string',
    { text: 'x' },
    { text: 'x', fontSize: 12 },
    { text: 'x', style: 'heading' },
    { text: 'x', style: ['big', 'nullish'] },
    { text: 'x', style: 'loopA', color: null },
    { section: true, style: 'big' },
  ];
  const properties = ['fontSize', 'color', 'bold', 'italics', 'font', 'alignment'];

  function answers(): unknown[] {
    const out: unknown[] = [];
    for (const entries of stacks) {
      const stack = new StyleContextStack(dictionary, { font: 'body', fontSize: 11 });
      for (const entry of entries) stack.push(entry);
      for (const property of properties) {
        out.push(stack.getProperty(property));
        for (const item of items) {
          out.push(StyleContextStack.getStyleProperty(item, stack, property, 'default'));
          out.push(StyleContextStack.getStyleProperty(item, undefined, property, 'default'));
        }
      }
    }
    return out;
  }

  it('answers every lookup as pdfmake does: named styles, extends (with a cycle), overrides, defaults', () => {
    expect(StyleContextStack.prototype.getProperty).toBe(originalGetProperty);
    const before = answers();
    installStyleLookup();
    expect(StyleContextStack.prototype.getProperty).not.toBe(originalGetProperty);
    expect(StyleContextStack.getStyleProperty).not.toBe(originalGetStyleProperty);
    const after = answers();
    expect(after).toEqual(before);
    expect(before).toContain(16);
    expect(before).toContain('red');
  });
});

describe('pdfkit stream text', () => {
  it('joins each run of strings into one Buffer of the same bytes and keeps Buffers in place', () => {
    const binary = Buffer.from([0, 1, 2, 250]);
    const chunks = ['BT\n', '/F1 12 Tf\n', binary, 'ET\n', '\u00ff\u0080\n'];
    const out = chunksToBuffers(chunks);
    expect(out).toHaveLength(3);
    expect(out[1]).toBe(binary);
    const asPdfkitWrites = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'binary') : c)));
    expect(Buffer.concat(out)).toEqual(asPdfkitWrites);
    expect(chunksToBuffers([])).toEqual([]);
  });
});

describe('RecentCache', () => {
  it('keeps what is used again and drops what was used once, two generations later', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('always', 1);
    cache.set('once', 2);
    // 'always' is used in every generation, so it moves forward and stays.
    for (let i = 0; i < 5; i++) {
      expect(cache.get('always')).toBe(1);
      cache.set(`filler${i}`, i);
      cache.set(`filler${i}b`, i);
    }
    expect(cache.get('always')).toBe(1);
    expect(cache.get('once')).toBeUndefined();
    expect(cache.size).toBeLessThanOrEqual(4);
  });

  it('weighs entries when told how, and refuses a limit below 1', () => {
    const cache = new RecentCache<string, string>(10, (key) => key.length);
    cache.set('a'.repeat(10), 'long');
    cache.set('b', 'short');
    cache.set('c'.repeat(10), 'long again');
    cache.set('d', 'short');
    expect(cache.get('a'.repeat(10))).toBeUndefined();
    expect(cache.get('d')).toBe('short');
    expect(() => new RecentCache(0)).toThrow(/at least 1/);
  });

  it('per owner: one cache for each owner, the same one every time it is asked for, with the limit and weights given', () => {
    const perFont = new RecentCachePerOwner<object, string, string>(10, (key) => key.length);
    const [a, b] = [{}, {}];
    expect(perFont.for(a)).toBe(perFont.for(a));
    expect(perFont.for(a)).not.toBe(perFont.for(b));
    perFont.for(a).set('x', 'in a');
    expect(perFont.for(b).get('x')).toBeUndefined();
    perFont.for(b).set('y'.repeat(10), 'long');
    perFont.for(b).set('z', 'short');
    perFont.for(b).set('w'.repeat(10), 'long again');
    perFont.for(b).set('v', 'short');
    expect(perFont.for(b).get('y'.repeat(10))).toBeUndefined();
    expect(perFont.for(a).get('x')).toBe('in a');
  });
});
