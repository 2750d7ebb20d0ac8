import type { DatasetProfile } from '@/lib/datasets/types';
import { formatWeek } from '@/lib/datasets/format';

export type WeeklyMetric = 'baskets' | 'rows' | 'spend';
export type WeekPoint = {
  week: number;
  label: string;
  LA: number;
  MM: number;
  UM: number;
  XX: number;
  baskets: number;
  rows: number;
  spend: number;
  /** A week inside the range with no data (e.g. an unpublished file): drawn as a gap. */
  isGap: boolean;
};

export type WeeklyVolume = {
  points: WeekPoint[];
  missingWeeks: number[];
  /** Mean and peak of the chosen metric over the weeks that have data. */
  mean: number;
  peak: { week: number; value: number } | null;
};

/** Never invent more than this many empty weeks (a typo'd week would otherwise add centuries). */
const MAX_GAP_FILL = 520;

/** The week after YYYYWW; a year has 52 weeks unless the data shows a week 53. */
export function nextShopWeek(week: number, yearsWith53: ReadonlySet<number>): number {
  const year = Math.floor(week / 100);
  const w = week % 100;
  const last = yearsWith53.has(year) ? 53 : 52;
  return w >= last ? (year + 1) * 100 + 1 : week + 1;
}

function point(row: DatasetProfile['weekly'][number] | null, week: number): WeekPoint {
  return {
    week,
    label: formatWeek(week),
    LA: row ? Number(row.LA) : 0,
    MM: row ? Number(row.MM) : 0,
    UM: row ? Number(row.UM) : 0,
    XX: row ? Number(row.XX) : 0,
    baskets: row ? Number(row.baskets) : 0,
    rows: row ? Number(row.rows) : 0,
    spend: row ? Number(row.spend) : 0,
    isGap: row === null,
  };
}

/** Weekly volume in week order, with missing weeks inside the range filled as visible gaps. */
export function prepareWeeklyVolume(weekly: DatasetProfile['weekly'], metric: WeeklyMetric = 'baskets'): WeeklyVolume {
  const sorted = [...weekly].sort((a, b) => a.week - b.week);
  const yearsWith53 = new Set(sorted.filter((w) => w.week % 100 === 53).map((w) => Math.floor(w.week / 100)));
  const points: WeekPoint[] = [];
  const missingWeeks: number[] = [];
  sorted.forEach((row, i) => {
    points.push(point(row, row.week));
    const next = sorted[i + 1];
    if (!next) return;
    const gap: number[] = [];
    for (let w = nextShopWeek(row.week, yearsWith53); w < next.week && gap.length <= MAX_GAP_FILL; w = nextShopWeek(w, yearsWith53)) gap.push(w);
    if (gap.length > MAX_GAP_FILL) return;
    for (const w of gap) {
      missingWeeks.push(w);
      points.push(point(null, w));
    }
  });
  const withData = points.filter((p) => !p.isGap);
  const mean = withData.length ? withData.reduce((sum, p) => sum + p[metric], 0) / withData.length : 0;
  const peak = withData.reduce<WeeklyVolume['peak']>((best, p) => (!best || p[metric] > best.value ? { week: p.week, value: p[metric] } : best), null);
  return { points, missingWeeks, mean, peak };
}
