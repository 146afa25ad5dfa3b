/**
 * Exact arithmetic helpers. Amounts are decimal.js values; null means "no figure"
 * (an empty cell), which counts as zero in a sum but stays null when nothing is present.
 */
import { Decimal } from 'decimal.js';
import type { Amount } from './model.js';

/**
 * decimal.js rounds every result to 20 significant digits by default, so a sum of amounts past
 * 10^18 would silently lose its cents. 40 digits keep any sum of two-decimal amounts exact.
 */
Decimal.set({ precision: 40 });

export { Decimal };

export const ZERO = new Decimal(0);

/** Sum that stays null when every term is null (so an empty column stays empty). */
export function sum(values: Iterable<Amount>): Amount {
  let total: Decimal | null = null;
  for (const v of values) if (v !== null) total = total === null ? v : total.plus(v);
  return total;
}

export function orZero(v: Amount): Decimal {
  return v ?? ZERO;
}

export function isZero(v: Amount): boolean {
  return v === null || v.isZero();
}

export function equal(a: Amount, b: Amount): boolean {
  return orZero(a).equals(orZero(b));
}

/** Two-decimal text as the tables print it: 866.01, 1.50, 0.00. */
export function fixed2(v: Decimal): string {
  return v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** Shortest exact text as the narrative prints it: 866.01, 1.5, 0, 620.78. */
export function plain(v: Amount): string {
  return orZero(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toString();
}

/**
 * Whole-number percentages of `parts` in their total, rounded half-up and then
 * adjusted by the largest-remainder method so that they add up to exactly 100.
 */
export function sharesPercent(parts: Amount[]): number[] {
  const values = parts.map(orZero);
  const total = values.reduce((a, b) => a.plus(b), ZERO);
  if (total.isZero()) return values.map(() => 0);
  const exact = values.map((v) => v.times(100).dividedBy(total));
  const floors = exact.map((e) => e.floor());
  let missing = 100 - floors.reduce((a, b) => a + b.toNumber(), 0);
  const order = exact
    .map((e, i) => ({ i, rest: e.minus(floors[i]) }))
    .sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
  const result = floors.map((f) => f.toNumber());
  for (const { i } of order) {
    if (missing <= 0) break;
    result[i] += 1;
    missing -= 1;
  }
  return result;
}

/** Year-on-year change in whole percent (half-up), or null when there is no base. */
export function changePercent(current: Amount, prior: Amount): number | null {
  const base = orZero(prior);
  if (base.isZero()) return null;
  return orZero(current).minus(base).times(100).dividedBy(base).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}
