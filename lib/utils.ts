import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}

type DateInput = Date | string | number;

function toDate(value: DateInput): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * "2026-11-26 14:03 UTC". Always UTC and never the runtime locale, so the server render,
 * the hydrated client and snapshot tests all print the same string.
 */
export function formatDateTime(value: DateInput): string {
  const date = toDate(value);
  if (!date) return '—';
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`
  );
}

/** "2026-11-26" (UTC). */
export function formatDate(value: DateInput): string {
  const date = toDate(value);
  if (!date) return '—';
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

const RELATIVE_UNITS: ReadonlyArray<{ limit: number; seconds: number; unit: string; plural?: string }> = [
  { limit: 3600, seconds: 60, unit: 'min' },
  { limit: 86_400, seconds: 3600, unit: 'h' },
  { limit: 30 * 86_400, seconds: 86_400, unit: 'day', plural: 'days' },
  { limit: 365 * 86_400, seconds: 30 * 86_400, unit: 'mo' },
  { limit: Number.POSITIVE_INFINITY, seconds: 365 * 86_400, unit: 'yr' },
];

/** "just now", "3 min ago", "5 h ago", "2 days ago", "in 4 min". */
export function formatRelative(value: DateInput, now: DateInput = new Date()): string {
  const date = toDate(value);
  const reference = toDate(now);
  if (!date || !reference) return '—';
  const diffSeconds = Math.round((reference.getTime() - date.getTime()) / 1000);
  const abs = Math.abs(diffSeconds);
  if (abs < 60) return 'just now';
  const unit = RELATIVE_UNITS.find((u) => abs < u.limit) ?? RELATIVE_UNITS[RELATIVE_UNITS.length - 1]!;
  const count = Math.floor(abs / unit.seconds);
  const label = `${count} ${count === 1 || !unit.plural ? unit.unit : unit.plural}`;
  return diffSeconds >= 0 ? `${label} ago` : `in ${label}`;
}
