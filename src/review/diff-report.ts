/**
 * The result of comparing two publications, shared by the PDF diff and the data diff
 * so both go through one formatter. `--format json` prints a DiffReport as is; the
 * shape is versioned by `schema` and only grows by optional fields within a version.
 *
 * JSON shape (schema "budget-pdf.diff/1"):
 * {
 *   "schema": "budget-pdf.diff/1",
 *   "exitCode": 0 | 1,                                // 0 the same, 1 different (as the command exits)
 *   "kind": "pdf" | "data",
 *   "old": { "file": "a.pdf", "pages": 12 },          // pages: PDFs only
 *   "new": { "file": "b.pdf", "pages": 13 },
 *   "same": false,                                    // true exactly when changes is empty
 *   "summary": { "changed": 1, "added": 1, "removed": 0, "unchanged": 11 },
 *   "changes": [
 *     { "status": "changed", "oldPage": 3, "newPage": 4,
 *       "hunks": [ { "removed": [ { "line": 5, "text": "…866.01万元…" } ],
 *                    "added":   [ { "line": 5, "text": "…870.00万元…" } ],
 *                    "figures": [ { "old": "866.01", "new": "870.00", "oldLine": 5, "newLine": 5 } ] } ] },
 *     { "status": "added", "newPage": 3, "hunks": [ { "removed": [], "added": [ … ], "figures": [] } ] },
 *     { "status": "changed", "oldPage": 4, "newPage": 5, "hunks": [], "moved": 12 }   // lines only moved over a page break
 *   ]
 * }
 * Page and line numbers are 1-based; line numbers count the lines of the page's
 * normalised text. A data diff uses `path` instead of page numbers
 * (e.g. ["项目支出预算表", "劳务派遣费", "金额"]) and counts entries instead of pages.
 *
 * A data diff (kind "data") has three sorts of change, tables first (report.yaml order),
 * then sections, then the headings:
 *   a table row whose cells changed — path [table, row] (just [table] for a table of one
 *     row), no lines, one figure per changed cell with path [table, row, column]; an empty
 *     cell is "";
 *   a table row added or removed — path [table, row], one line listing its non-empty cells
 *     ("列: 值；列: 值"), numbered by its row in the table;
 *   a section whose sentences changed — path [part label, heading(, subheading)], hunks of
 *     removed and added sentences numbered within the section, figures as for a PDF;
 *   the headings and table titles — path ["标题"], hunks of lines.
 * It adds "affected": the parts of the publication the changes touch, in the same order:
 *   "affected": [ { "kind": "table", "name": "项目支出预算表", "changes": 2 },
 *                 { "kind": "section", "name": "第二部分 › 一、收入支出预算总体情况说明", "changes": 1 } ]
 *
 * When the inputs cannot be compared (exit 2) the JSON is not a DiffReport but
 * { "schema", "exitCode": 2, "findings": [...] }; see input-failure.ts.
 */

export const DIFF_SCHEMA = 'budget-pdf.diff/1';

export type DiffKind = 'pdf' | 'data';
export type ChangeStatus = 'changed' | 'added' | 'removed';

export interface DiffSide {
  /** The file as the user named it. */
  file: string;
  /** Page count, for PDFs. */
  pages?: number;
}

/** A line of text on one side, numbered within its page (or section). */
export interface DiffLine {
  line: number;
  text: string;
  /** PDF: for a line of figures only (a table row's amounts), the nearest line above it with words: the row's name. */
  context?: string;
}

/** A figure that differs between a removed line and the added line it matches, or a data cell. */
export interface FigureChange {
  old: string;
  new: string;
  oldLine?: number;
  newLine?: number;
  /** Where a data value lives, e.g. ["项目支出预算表", "劳务派遣费", "金额"]. */
  path?: string[];
}

/** A run of removed lines and the added lines that replace them. */
export interface DiffHunk {
  removed: DiffLine[];
  added: DiffLine[];
  figures: FigureChange[];
}

export interface DiffChange {
  status: ChangeStatus;
  /** PDF: page in the old file (absent for an added page). */
  oldPage?: number;
  /** PDF: page in the new file (absent for a removed page). */
  newPage?: number;
  /** Data: table › row › column, or section. */
  path?: string[];
  hunks: DiffHunk[];
  /** PDF: lines of this page that only moved over a page break, unchanged (left out of the hunks). */
  moved?: number;
  /** PDF: lines that only changed places on this page (rows in another order), unchanged (left out of the hunks). */
  reordered?: number;
  /** PDF: what the page holds, by the last title or heading at or before it (2022年项目支出预算表). */
  section?: string;
}

export interface DiffSummary {
  changed: number;
  added: number;
  removed: number;
  unchanged: number;
}

/** Data diff: a table, a section or the headings, and how many changes touch it. */
export interface AffectedPart {
  kind: 'table' | 'section' | 'headings';
  /** 项目支出预算表; 第二部分 › 一、收入支出预算总体情况说明; 标题. */
  name: string;
  changes: number;
}

export interface DiffReport {
  schema: typeof DIFF_SCHEMA;
  kind: DiffKind;
  old: DiffSide;
  new: DiffSide;
  same: boolean;
  summary: DiffSummary;
  changes: DiffChange[];
  /** Data diffs: the parts of the publication the changes touch. */
  affected?: AffectedPart[];
}

export function summarize(changes: readonly DiffChange[], unchanged: number): DiffSummary {
  const count = (status: ChangeStatus) => changes.filter((c) => c.status === status).length;
  return { changed: count('changed'), added: count('added'), removed: count('removed'), unchanged };
}
