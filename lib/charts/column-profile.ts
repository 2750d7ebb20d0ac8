import type { ColumnProfile } from '@/lib/datasets/types';
import { formatNumber } from '@/lib/datasets/format';

export type ColumnStat = { label: 'min' | 'p50' | 'p95' | 'p99' | 'max' | 'mean'; value: string };
export type TopValue = { value: string; count: number; share: number; /** Bar width relative to the most frequent value, 0..1. */ width: number };

export type ColumnRow = {
  name: string;
  type: string;
  missing: number;
  missingShare: number;
  /** Approximate distinct count (HyperLogLog), shown with "≈" above a few hundred. */
  distinct: number;
  distinctLabel: string;
  stats: ColumnStat[] | null;
  top: TopValue[] | null;
  /** Share of non-missing rows the listed top values cover. */
  topCoverage: number | null;
};

/** Columns whose numbers are codes (weeks, dates): no thousands separators. */
const CODE_LIKE = /WEEK|DATE/;

function statValue(name: string, value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (CODE_LIKE.test(name)) return String(Math.round(value));
  return formatNumber(value, Math.abs(value) >= 100 ? 0 : 2);
}

/** Exact below this many distinct values (HLL is exact enough there); approximate above. */
const EXACT_DISTINCT = 100;

/** The per-column table: missing share of all rows, distinct count, numeric stats or top values as relative bars. */
export function prepareColumnRows(columns: ColumnProfile[], rowCount: number): ColumnRow[] {
  return columns.map((col) => {
    const missing = Number(col.missing) || 0;
    const present = Math.max(0, rowCount - missing);
    const distinct = Number(col.distinct) || 0;
    const stats: ColumnStat[] | null = col.numeric
      ? (['min', 'p50', 'p95', 'p99', 'max', 'mean'] as const).map((label) => ({ label, value: statValue(col.name, col.numeric![label]) }))
      : null;
    let top: TopValue[] | null = null;
    let topCoverage: number | null = null;
    if (!col.numeric && col.top && col.top.length > 0) {
      const max = Math.max(...col.top.map((t) => Number(t.count) || 0));
      top = col.top.map((t) => {
        const count = Number(t.count) || 0;
        return { value: t.value, count, share: present > 0 ? count / present : 0, width: max > 0 ? count / max : 0 };
      });
      topCoverage = present > 0 ? top.reduce((sum, t) => sum + t.count, 0) / present : 0;
    }
    return {
      name: col.name,
      type: col.type,
      missing,
      missingShare: rowCount > 0 ? missing / rowCount : 0,
      distinct,
      distinctLabel: `${distinct >= EXACT_DISTINCT ? '≈' : ''}${distinct.toLocaleString('en-US')}`,
      stats,
      top,
      topCoverage,
    };
  });
}
