import type { Check, QualityReport } from './types';

/** How a check reads to a person: failed error, warning, note with findings, or clean pass. */
export type CheckOutcome = 'fail' | 'warn' | 'info' | 'pass';

export function checkOutcome(check: Check): CheckOutcome {
  // Notes pass by design (XX baskets are allowed) but still report what they found.
  if (check.severity === 'info') return check.count > 0 ? 'info' : 'pass';
  if (check.passed) return 'pass';
  if (check.severity === 'error') return 'fail';
  if (check.severity === 'warning') return 'warn';
  return 'info';
}

const RANK: Record<CheckOutcome, number> = { fail: 0, warn: 1, info: 2, pass: 3 };

/** Problems first (errors, then warnings, then notes), passes last; the report's order within each group. */
export function sortChecks(checks: Check[]): Check[] {
  return checks
    .map((check, index) => ({ check, index }))
    .sort((a, b) => RANK[checkOutcome(a.check)] - RANK[checkOutcome(b.check)] || a.index - b.index)
    .map((entry) => entry.check);
}

export function summariseChecks(report: Pick<QualityReport, 'checks'>): Record<CheckOutcome, number> {
  const counts: Record<CheckOutcome, number> = { fail: 0, warn: 0, info: 0, pass: 0 };
  for (const check of report.checks) counts[checkOutcome(check)]++;
  return counts;
}

/** Columns of an examples table: every key of every example, in first-seen order. */
export function exampleColumns(examples: Record<string, unknown>[]): string[] {
  const columns: string[] = [];
  for (const example of examples) for (const key of Object.keys(example)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

/** A cell of an examples table: strings as they are, objects as compact JSON, missing as an empty cell. */
export function exampleCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US', { useGrouping: false }) : String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const UNIT_NAMES: Record<Check['unit'], [string, string]> = {
  rows: ['row', 'rows'],
  baskets: ['basket', 'baskets'],
  files: ['file', 'files'],
  values: ['value', 'values'],
};

/** "12 rows", "1 file". */
export function checkCountLabel(check: Pick<Check, 'count' | 'unit'>): string {
  const [one, many] = UNIT_NAMES[check.unit] ?? [check.unit, check.unit];
  return `${check.count.toLocaleString('en-US')} ${check.count === 1 ? one : many}`;
}
