/**
 * Shapes of a dataset version's quality report and profile, as stored with the
 * version and served to the UI. Client-safe: no server imports.
 */

export type Severity = 'error' | 'warning' | 'info';
export type Check = {
  id: string;
  title: string;
  severity: Severity;
  passed: boolean;
  /** Offending rows (or baskets/files, per `unit`). */
  count: number;
  unit: 'rows' | 'baskets' | 'files' | 'values';
  message: string;
  examples: Record<string, unknown>[];
};

export type QualityReport = {
  status: 'passed' | 'warnings' | 'failed';
  checkedAt: string;
  rows: number;
  files: number;
  checks: Check[];
};

export type Bin = { label: string; from: number; to: number | null; count: number };
export type ColumnProfile = {
  name: string;
  type: string;
  missing: number;
  distinct: number;
  numeric?: { min: number; max: number; mean: number; p50: number; p95: number; p99: number };
  top?: { value: string; count: number }[];
};
export type DatasetProfile = {
  counts: { rows: number; baskets: number; labelledBaskets: number; customers: number; products: number; stores: number; weeks: number; firstWeek: number; lastWeek: number; firstDate: string; lastDate: string };
  labels: { label: string; rows: number; baskets: number }[];
  columns: ColumnProfile[];
  histograms: { spend: Bin[]; quantity: Bin[]; linesPerBasket: Bin[]; basketSpend: Bin[] };
  weekly: { week: number; rows: number; baskets: number; spend: number; LA: number; MM: number; UM: number; XX: number }[];
  hours: { hour: number; baskets: number }[];
};
