import { describe, expect, it } from 'vitest';
import { addDays, budgetInputSchema, budgetStatus, daySchema, forecastMonth, formatUsd, monthLabel, monthRange, monthSchema, shiftMonth } from './costs';

const at = (iso: string) => new Date(iso);

describe('months', () => {
  it('knows their length, neighbours and names', () => {
    expect(monthRange('2026-11')).toEqual({ start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z'), days: 30 });
    expect(monthRange('2028-02').days).toBe(29);
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(monthLabel('2026-11')).toBe('November 2026');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
  });

  it('accepts YYYY-MM months and calendar dates only', () => {
    expect(monthSchema.safeParse('2026-11').success).toBe(true);
    expect(monthSchema.safeParse('2026-13').success).toBe(false);
    expect(monthSchema.safeParse('11/2026').success).toBe(false);
    expect(daySchema.safeParse('2026-02-28').success).toBe(true);
    expect(daySchema.safeParse('2026-02-30').success).toBe(false);
  });
});

describe('forecastMonth', () => {
  it('extrapolates the cost per hour of the recent days over the hours left', () => {
    // $10 a day for 10 complete days, and 12 h of today at the same rate.
    const daily = Array.from({ length: 10 }, (_, i) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, total: 10 }));
    daily.push({ day: '2026-11-11', total: 5 });
    const f = forecastMonth('2026-11', at('2026-11-11T12:00:00Z'), daily);
    expect(f.monthToDate).toBe(105);
    expect(f.perDay).toBe(10);
    expect(f.forecast).toBe(300); // 30 days × $10
    expect(f.basis).toBe('run_rate');
  });

  it('follows the last week rather than the whole month', () => {
    // A deployment started on the 8th made days dearer: $2 a day before, $20 since.
    const daily = Array.from({ length: 14 }, (_, i) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, total: i < 7 ? 2 : 20 }));
    const f = forecastMonth('2026-11', at('2026-11-15T00:00:00Z'), daily);
    expect(f.monthToDate).toBe(154);
    expect(f.perDay).toBe(20);
    expect(f.forecast).toBe(154 + 16 * 20);
  });

  it('does not count the days before the platform existed as free (mid-month installation)', () => {
    // Installed at 18:00 on the 20th: 6 hours recorded cost $3, i.e. $12 a day.
    const f = forecastMonth('2026-11', at('2026-11-21T00:00:00Z'), [{ day: '2026-11-20', total: 3, hours: 6 }]);
    expect(f.perDay).toBe(12);
    expect(f.forecast).toBe(3 + 10 * 12);
  });

  it('uses the days before the 1st on the 1st', () => {
    const daily = [{ day: '2026-10-30', total: 24 }, { day: '2026-10-31', total: 24 }, { day: '2026-11-01', total: 1 }];
    const f = forecastMonth('2026-11', at('2026-11-01T01:00:00Z'), daily);
    expect(f.monthToDate).toBe(1);
    expect(f.perDay).toBe(24);
    expect(f.forecast).toBeCloseTo(1 + (30 * 24 - 1), 6);
  });

  it('is the actual total for a past month and nothing for a future one', () => {
    const daily = [{ day: '2026-10-03', total: 7.5 }, { day: '2026-10-30', total: 2.5 }];
    expect(forecastMonth('2026-10', at('2026-11-11T00:00:00Z'), daily)).toEqual({ monthToDate: 10, forecast: 10, perDay: 0, basis: 'final' });
    expect(forecastMonth('2026-12', at('2026-11-11T00:00:00Z'), daily)).toMatchObject({ monthToDate: 0, forecast: 0, basis: 'not_started' });
  });

  it('says so when nothing is recorded', () => {
    expect(forecastMonth('2026-11', at('2026-11-11T00:00:00Z'), [])).toEqual({ monthToDate: 0, forecast: 0, perDay: 0, basis: 'none' });
  });
});

describe('budgetStatus', () => {
  it('is over when the forecast passes the budget, near from 90 %', () => {
    expect(budgetStatus(100, 400, 500)).toEqual({ spentShare: 0.2, forecastShare: 0.8, state: 'under' });
    expect(budgetStatus(100, 460, 500).state).toBe('near');
    expect(budgetStatus(100, 501, 500).state).toBe('over');
    // Already spent more than the budget: over, whatever the forecast says.
    expect(budgetStatus(600, 0, 500).state).toBe('over');
  });
});

describe('budgetInputSchema', () => {
  it('takes a positive number of dollars and names the field otherwise', () => {
    expect(budgetInputSchema.parse({ monthly_usd: 750 })).toEqual({ monthly_usd: 750 });
    for (const bad of [{ monthly_usd: 0 }, { monthly_usd: -5 }, { monthly_usd: '750' }, { monthly_usd: 2e6 }, {}, { monthly_usd: 750, extra: 1 }]) {
      const r = budgetInputSchema.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
    }
    expect(budgetInputSchema.safeParse({ monthly_usd: -5 }).error?.issues[0]).toMatchObject({ path: ['monthly_usd'], message: 'must be more than 0' });
  });
});

describe('formatUsd', () => {
  it('writes dollars and cents, and keeps small amounts visible', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(1234.5, { whole: true })).toBe('$1,235');
    expect(formatUsd(null)).toBe('—');
    expect(formatUsd(0.000025, { cents: true })).toBe('<$0.01');
    expect(formatUsd(0, { cents: true })).toBe('$0.00');
  });
});

describe('daySchema', () => {
  it('says what is wrong with a date in another format, without throwing', () => {
    expect(daySchema.safeParse('19/11/2026').error?.issues.map((i) => i.message)).toEqual(['must be a date as YYYY-MM-DD']);
  });
});
