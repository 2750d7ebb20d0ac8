import type { DatasetProfile } from '@/lib/datasets/types';

export type HourPoint = { hour: number; label: string; baskets: number; share: number };
export type Hourly = { points: HourPoint[]; total: number; busiest: HourPoint | null };

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/**
 * Baskets per hour of day over the span of hours that have baskets (shops open 8–22 in
 * the real data), with the closed hours inside that span shown as zeros, not skipped.
 */
export function prepareHourly(hours: DatasetProfile['hours']): Hourly {
  const counts = new Map<number, number>();
  for (const h of hours) {
    const hour = Number(h.hour);
    if (Number.isInteger(hour) && hour >= 0 && hour <= 23) counts.set(hour, (counts.get(hour) ?? 0) + (Number(h.baskets) || 0));
  }
  const open = [...counts.entries()].filter(([, n]) => n > 0).map(([hour]) => hour);
  if (open.length === 0) return { points: [], total: 0, busiest: null };
  const first = Math.min(...open);
  const last = Math.max(...open);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const points: HourPoint[] = [];
  for (let hour = first; hour <= last; hour++) {
    const baskets = counts.get(hour) ?? 0;
    points.push({ hour, label: hourLabel(hour), baskets, share: baskets / total });
  }
  const busiest = points.reduce((best, p) => (p.baskets > best.baskets ? p : best), points[0]!);
  return { points, total, busiest };
}
