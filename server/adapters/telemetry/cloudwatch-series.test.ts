import { describe, expect, it } from 'vitest';
import { cloudWatchPeriod } from './cloudwatch-series';

const NOW = Date.parse('2026-11-26T12:34:56Z');
const DAY = 86_400_000;

describe('cloudWatchPeriod', () => {
  it('keeps the asked resolution for recent data and aligns the start to it', () => {
    expect(cloudWatchPeriod({ resolutionSeconds: 60, from: NOW - 3_600_000, to: NOW, now: NOW, series: 8 })).toEqual({ periodSeconds: 60, start: Date.parse('2026-11-26T11:34:00Z') });
    expect(cloudWatchPeriod({ resolutionSeconds: 300, from: NOW - DAY, to: NOW, now: NOW, series: 8 })).toEqual({ periodSeconds: 300, start: Date.parse('2026-11-25T12:30:00Z') });
    // Never below a minute, always a whole number of minutes.
    expect(cloudWatchPeriod({ resolutionSeconds: 10, from: NOW - 600_000, to: NOW, now: NOW, series: 1 }).periodSeconds).toBe(60);
    expect(cloudWatchPeriod({ resolutionSeconds: 90, from: NOW - 600_000, to: NOW, now: NOW, series: 1 }).periodSeconds).toBe(120);
  });

  it('coarsens as CloudWatch does with age: 5 minutes past 15 days, an hour past 63', () => {
    expect(cloudWatchPeriod({ resolutionSeconds: 60, from: NOW - 16 * DAY, to: NOW - 16 * DAY + 3_600_000, now: NOW, series: 8 }).periodSeconds).toBe(300);
    expect(cloudWatchPeriod({ resolutionSeconds: 900, from: NOW - 30 * DAY, to: NOW, now: NOW, series: 8 }).periodSeconds).toBe(900);
    expect(cloudWatchPeriod({ resolutionSeconds: 300, from: NOW - 70 * DAY, to: NOW - 69 * DAY, now: NOW, series: 8 })).toEqual({ periodSeconds: 3600, start: Date.parse('2026-09-17T12:00:00Z') });
  });

  it('fits every series of a request within its 100,800 datapoints', () => {
    for (const series of [1, 12, 400]) {
      const q = { resolutionSeconds: 60, from: NOW - 14 * DAY, to: NOW, now: NOW, series };
      const { periodSeconds, start } = cloudWatchPeriod(q);
      expect(periodSeconds % 60).toBe(0);
      // Each series' periods, plus one whole-range point each.
      expect(series * (Math.ceil((NOW - start) / (periodSeconds * 1000)) + 1)).toBeLessThanOrEqual(100_800);
    }
    // Twelve series over 14 days at one minute would be 241,932 points: coarser, but no coarser than needed.
    expect(cloudWatchPeriod({ resolutionSeconds: 60, from: NOW - 14 * DAY, to: NOW, now: NOW, series: 12 }).periodSeconds).toBe(180);
  });
});
