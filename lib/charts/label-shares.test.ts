import { describe, expect, it } from 'vitest';
import { prepareLabelShares } from './label-shares';

describe('prepareLabelShares', () => {
  // The real sample's basket counts for its 94 weeks (data README).
  const labels = [
    { label: 'LA', rows: 500_000, baskets: 90_195 },
    { label: 'MM', rows: 1_300_000, baskets: 200_302 },
    { label: 'UM', rows: 680_000, baskets: 94_830 },
    { label: 'XX', rows: 39_777, baskets: 7_183 },
  ];

  it('turns counts into shares per basket and per row that sum to 1', () => {
    const { bars } = prepareLabelShares(labels);
    const [baskets, rows] = bars;
    expect(baskets!.unit).toBe('Baskets');
    expect(baskets!.total).toBe(392_510);
    expect(baskets!.MM).toBeCloseTo(200_302 / 392_510, 10);
    expect(baskets!.LA + baskets!.MM + baskets!.UM + baskets!.XX).toBeCloseTo(1, 10);
    expect(rows!.total).toBe(2_519_777);
    expect(rows!.LA + rows!.MM + rows!.UM + rows!.XX).toBeCloseTo(1, 10);
  });

  it('reports the labelled share training can use', () => {
    expect(prepareLabelShares(labels).labelledBasketShare).toBeCloseTo(1 - 7_183 / 392_510, 10);
  });

  it('lists every label in a fixed order, even absent ones, and folds unknown codes into XX', () => {
    const { legend } = prepareLabelShares([{ label: 'UM', rows: 3, baskets: 1 }, { label: 'ZZ', rows: 1, baskets: 1 }]);
    expect(legend.map((l) => l.label)).toEqual(['LA', 'MM', 'UM', 'XX']);
    expect(legend[0]!.baskets).toEqual({ label: 'LA', count: 0, share: 0 });
    expect(legend[3]!.rows.count).toBe(1);
    expect(legend[2]!.rows.share).toBe(0.75);
  });

  it('gives zero shares, not NaN, when there is no data', () => {
    const { bars, labelledBasketShare } = prepareLabelShares([]);
    expect(bars[0]).toMatchObject({ total: 0, LA: 0, MM: 0, UM: 0, XX: 0 });
    expect(labelledBasketShare).toBe(0);
  });
});
