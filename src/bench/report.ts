/**
 * Figures of a benchmark run: each case's runs summarised as median, min and max, the targets
 * of issue 5 checked against the medians, a plain-text table for the terminal and the JSON
 * written to output/bench.json. Pure functions, so the shape is testable without rendering.
 */

export interface Summary {
  /** Unit of every number in this summary, e.g. `s`, `ms`, `docs/s`, `MB`, `KB`. */
  unit: string;
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export interface BenchCase {
  /** What was measured and how, in one sentence. */
  description: string;
  /** The main figure of the case (time, throughput, size). */
  value: Summary;
  /** Further figures of the same runs: peak RSS, CPU time, pages… */
  extra: Record<string, Summary>;
}

export type Comparison = 'atMost' | 'atLeast';

export interface Target {
  /** Case name and figure (`value` or an `extra` key). */
  caseName: string;
  figure: string;
  comparison: Comparison;
  limit: number;
  label: string;
}

export interface TargetResult extends Target {
  median: number | null;
  met: boolean | null;
}

export interface MachineInfo {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews the timings. */
  loadAverageStart: number;
  loadAverageEnd: number;
}

export interface BenchReport {
  version: string;
  startedAt: string;
  quick: boolean;
  machine: MachineInfo;
  cases: Record<string, BenchCase>;
  targets: TargetResult[];
  notes: string[];
}

/** Median (mean of the middle two for an even count), min and max. */
export function summarize(values: readonly number[], unit: string): Summary {
  if (values.length === 0) throw new RangeError('summarize: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { unit, runs: [...values], median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function checkTargets(cases: Record<string, BenchCase>, targets: readonly Target[]): TargetResult[] {
  return targets.map((target) => {
    const found = cases[target.caseName];
    const summary = found ? (target.figure === 'value' ? found.value : found.extra[target.figure]) : undefined;
    if (!summary) return { ...target, median: null, met: null };
    const met = target.comparison === 'atMost' ? summary.median <= target.limit : summary.median >= target.limit;
    return { ...target, median: summary.median, met };
  });
}

function figure(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(abs >= 1 ? 2 : 3);
}

function summaryLine(name: string, s: Summary): string {
  return `  ${name.padEnd(34)} ${figure(s.median).padStart(9)} ${s.unit.padEnd(7)} min ${figure(s.min).padStart(9)}  max ${figure(s.max).padStart(9)}  (n=${s.runs.length})`;
}

/** The report as the terminal shows it: one block per case, then the targets. */
export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `budget-pdf ${report.version} bench${report.quick ? ' (quick)' : ''} — node ${m.node}, ${m.cpus} × ${m.cpuModel}, ` +
      `load ${m.loadAverageStart.toFixed(2)} → ${m.loadAverageEnd.toFixed(2)}`,
    '',
    `  ${'case'.padEnd(34)} ${'median'.padStart(9)} ${''.padEnd(7)}     ${'min'.padStart(9)}       ${'max'.padStart(9)}`,
  ];
  for (const [name, c] of Object.entries(report.cases)) {
    lines.push(summaryLine(name, c.value));
    for (const [key, s] of Object.entries(c.extra)) lines.push(summaryLine(`  ${key}`, s));
  }
  lines.push('', 'targets (medians):');
  for (const t of report.targets) {
    const mark = t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS';
    const sign = t.comparison === 'atMost' ? '≤' : '≥';
    lines.push(`  ${mark} ${t.label}: ${t.median === null ? '—' : figure(t.median)} ${sign} ${t.limit}`);
  }
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}
