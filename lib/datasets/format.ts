/**
 * Number, size, week and duration formatting for the dataset pages. Fixed to en-US
 * so the server render and the hydrated client print the same string.
 */

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatInt(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : INT.format(value);
}

/** 2,519,777 → "2.5M"; values under 10,000 keep every digit. */
export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) < 10_000 ? INT.format(value) : COMPACT.format(value);
}

/** Axis ticks: compact from 1,000 up (9K, 18K, 2.2M) so one axis never mixes styles. */
export function formatAxis(value: number): string {
  if (!Number.isFinite(value)) return '';
  return Math.abs(value) < 1000 ? INT.format(value) : COMPACT.format(value);
}

/** A number with at most `digits` decimals, trailing zeros dropped: 1.5, 0.12, 1,685. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(value);
}

/** 0.2291 → "22.9%"; tiny non-zero shares say so instead of rounding to 0. */
export function formatPercent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '—';
  const pct = share * 100;
  const floor = 10 ** -digits;
  if (pct > 0 && pct < floor) return `<${floor.toFixed(digits)}%`;
  return `${pct.toFixed(digits)}%`;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Decimal units, as file managers show them: 332138 → "332.1 KB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}

/** Shop week YYYYWW → "2006 W07". */
export function formatWeek(week: number | null | undefined): string {
  if (week === null || week === undefined || !Number.isInteger(week) || week < 100_000) return '—';
  return `${Math.floor(week / 100)} W${String(week % 100).padStart(2, '0')}`;
}

export function formatWeekRange(from: number | null | undefined, to: number | null | undefined): string {
  if (!from || !to) return '—';
  return from === to ? formatWeek(from) : `${formatWeek(from)} – ${formatWeek(to)}`;
}

/** 4_200 → "4.2 s", 64_000 → "1 min 04 s", 7_380_000 → "2 h 03 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The first 12 hex digits identify a content hash among a dataset's versions. */
export function shortHash(hash: string | null | undefined, length = 12): string {
  return hash ? hash.slice(0, length) : '—';
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatInt(count)} ${count === 1 ? one : many}`;
}
