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
 * Percentages of `parts` in their total that add up to exactly 100: rounded half-up and then
 * adjusted by the largest-remainder method. Whole percent, as the publication prints them (28%、
 * 72%), unless that would show a part that is not zero as 0% (1万元 of 301万元): then with one
 * decimal, or two (0.3%、99.7%).
 */
export function sharesPercent(parts: Amount[]): number[] {
  const values = parts.map(orZero);
  return fewestPlaces((places) => sharesAt(values, places), (shares) => values.some((v, i) => !v.isZero() && shares[i] === 0));
}

/** Most decimals a percentage gets, when fewer would show a change or a part as 0%. */
const MAX_PERCENT_PLACES = 2;

/** `at(places)` with the fewest decimals (0, 1, …, MAX_PERCENT_PLACES) at which it is not `misleading`; the most, if all are. */
function fewestPlaces<T>(at: (places: number) => T, misleading: (value: T) => boolean): T {
  let value = at(0);
  for (let places = 1; places <= MAX_PERCENT_PLACES && misleading(value); places++) value = at(places);
  return value;
}

function sharesAt(values: Decimal[], places: number): number[] {
  const total = values.reduce((a, b) => a.plus(b), ZERO);
  if (total.isZero()) return values.map(() => 0);
  const scale = new Decimal(10).pow(places);
  const exact = values.map((v) => v.times(100).times(scale).dividedBy(total));
  const floors = exact.map((e) => e.floor());
  let missing = scale.times(100).minus(floors.reduce((a, b) => a.plus(b), ZERO)).toNumber();
  const order = exact
    .map((e, i) => ({ i, rest: e.minus(floors[i]) }))
    .sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
  const units = [...floors];
  for (const { i } of order) {
    if (missing <= 0) break;
    units[i] = units[i].plus(1);
    missing -= 1;
  }
  return units.map((u) => u.dividedBy(scale).toNumber());
}

/**
 * Year-on-year change in percent (half-up), or null when there is no base: whole percent (增长14%),
 * unless a change that is not zero would show as 0%, or spending that is left as 下降100%: then with
 * one decimal, or two (下降0.2%、下降99.9%).
 * A change still 0 at two decimals prints as 0 (the change helper words it 不足0.01%).
 */
export function changePercent(current: Amount, prior: Amount): number | null {
  const base = orZero(prior);
  if (base.isZero()) return null;
  const exact = orZero(current).minus(base).times(100).dividedBy(base);
  // 下降100% says the spending is gone: only when it is.
  const misleading = (p: number) => p === 0 || (p === -100 && !orZero(current).isZero());
  return fewestPlaces((places) => exact.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toNumber(), misleading);
}
