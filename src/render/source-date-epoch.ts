/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org): the seconds since 1970-01-01 UTC a PDF is dated by
 * when its data gives no `published:` date. One reading for every command: a value that is not a
 * date up to the year 9999 is refused before anything is rendered, never handed to pdfkit (which
 * throws on a date it cannot write) nor ignored while the manifest records it as given.
 */

export const SOURCE_DATE_EPOCH = 'SOURCE_DATE_EPOCH';

/** 9999-12-31T23:59:59Z: the last second a PDF date (four-digit year) can hold. */
export const MAX_SOURCE_DATE_EPOCH = 253_402_300_799;

/** The date `value` stands for, or undefined when it is not a non-negative integer up to MAX_SOURCE_DATE_EPOCH. */
export function sourceDateEpochDate(value: string): Date | undefined {
  if (!/^\d+$/.test(value) || Number(value) > MAX_SOURCE_DATE_EPOCH) return undefined;
  return new Date(Number(value) * 1000);
}

/**
 * Why `value` cannot date a render, as a sentence naming the variable and the value; undefined when
 * it can, or when it is unset (null, undefined or empty: render without it).
 */
export function sourceDateEpochProblem(value: string | null | undefined, where = '环境变量'): string | undefined {
  if (!value || sourceDateEpochDate(value)) return undefined;
  return (
    `${where} ${SOURCE_DATE_EPOCH}=“${value}” 无效：应为不小于 0 的整数，即自 1970-01-01 00:00:00 UTC 起的秒数，` +
    `最大 ${MAX_SOURCE_DATE_EPOCH}（9999-12-31 23:59:59 UTC）`
  );
}
