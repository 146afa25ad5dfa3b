/**
 * Splitting a table row of many lines (a 绩效目标表 project with its indicator lines) into parts
 * that each fit on a page. Pure geometry on line heights: the table engine decides what the
 * parts show.
 */

export interface RowLines {
  /** Height of each line of the row, pt. */
  heights: number[];
  /** Space between two lines (the inner grid line), pt. */
  gap: number;
  /** Least height of any part: the cells shown once per part (code, name) need it, pt. */
  floor: number;
}

/** Height of lines [from, to) as one part. */
function partHeight(row: RowLines, from: number, to: number): number {
  let h = (to - from - 1) * row.gap;
  for (let i = from; i < to; i++) h += row.heights[i]!;
  return Math.max(h, row.floor);
}

/** Greedy parts no taller than `limit` (a part takes at least one line, even a line taller than the limit). */
function greedy(row: RowLines, limit: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let from = 0;
  while (from < row.heights.length) {
    let to = from + 1;
    while (to < row.heights.length && partHeight(row, from, to + 1) <= limit) to++;
    parts.push([from, to]);
    from = to;
  }
  return parts;
}

/**
 * The line ranges [from, to) of the fewest parts no taller than `limit`, as even in height as
 * that number of parts allows: a project 1.2 pages tall becomes two parts of 0.6 page, so the
 * first may still fit under what precedes it rather than always starting a page.
 */
export function splitRow(row: RowLines, limit: number): Array<[number, number]> {
  const fewest = greedy(row, limit);
  if (fewest.length <= 1) return fewest;
  let low = partHeight(row, 0, row.heights.length) / fewest.length;
  let high = limit;
  let best = fewest;
  // The part count only grows as the limit narrows: bisect for the narrowest that keeps it.
  while (high - low > 0.5) {
    const middle = (low + high) / 2;
    const trial = greedy(row, middle);
    if (trial.length <= fewest.length) {
      best = trial;
      high = middle;
    } else {
      low = middle;
    }
  }
  return best;
}
