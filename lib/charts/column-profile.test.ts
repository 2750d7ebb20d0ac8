import { describe, expect, it } from 'vitest';
import { prepareColumnRows } from './column-profile';

describe('prepareColumnRows', () => {
  const [spend, region, week, customer] = prepareColumnRows(
    [
      { name: 'SPEND', type: 'DOUBLE', missing: 0, distinct: 4210, numeric: { min: -0.5, max: 2594.9, mean: 1.7234, p50: 1.23, p95: 5.61, p99: 11.31 } },
      { name: 'STORE_REGION', type: 'VARCHAR', missing: 0, distinct: 2, top: [{ value: 'E02', count: 600 }, { value: 'W01', count: 400 }] },
      { name: 'SHOP_WEEK', type: 'INTEGER', missing: 0, distinct: 94, numeric: { min: 200607, max: 200752, mean: 200700.4, p50: 200701, p95: 200748, p99: 200751 } },
      { name: 'CUST_CODE', type: 'VARCHAR', missing: 200, distinct: 400, top: [{ value: 'CUST1', count: 8 }] },
    ],
    1000,
  );

  it('formats numeric statistics in a fixed order, weeks without separators', () => {
    expect(spend!.stats?.map((s) => `${s.label}=${s.value}`)).toEqual(['min=-0.5', 'p50=1.23', 'p95=5.61', 'p99=11.31', 'max=2,595', 'mean=1.72']);
    expect(week!.stats?.[0]).toEqual({ label: 'min', value: '200607' });
    expect(spend!.top).toBeNull();
  });

  it('gives top values their share of present rows and a bar width relative to the largest', () => {
    expect(region!.stats).toBeNull();
    expect(region!.top).toEqual([
      { value: 'E02', count: 600, share: 0.6, width: 1 },
      { value: 'W01', count: 400, share: 0.4, width: 400 / 600 },
    ]);
    expect(region!.topCoverage).toBe(1);
    expect(customer!.top?.[0]?.share).toBe(8 / 800);
  });

  it('reports missing values against all rows and marks large distinct counts approximate', () => {
    expect(customer!.missingShare).toBe(0.2);
    expect(customer!.distinctLabel).toBe('≈400');
    expect(region!.distinctLabel).toBe('2');
  });
});
