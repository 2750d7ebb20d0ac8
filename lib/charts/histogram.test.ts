import { describe, expect, it } from 'vitest';
import { prepareHistogram } from './histogram';

const bins = [
  { label: '0–1', from: 0, to: 1, count: 30 },
  { label: '1–2', from: 1, to: 2, count: 50 },
  { label: '2–5', from: 2, to: 5, count: 20 },
  { label: '5–10', from: 5, to: 10, count: 0 },
  { label: '10+', from: 10, to: null, count: 0 },
];

describe('prepareHistogram', () => {
  it('gives each bin its share and finds the mode and the median bin', () => {
    const h = prepareHistogram(bins);
    expect(h.total).toBe(100);
    expect(h.bars.map((b) => b.share)).toEqual([0.3, 0.5, 0.2]);
    expect(h.mode?.label).toBe('1–2');
    expect(h.medianBin?.label).toBe('1–2');
  });

  it('drops only the trailing empty bins', () => {
    const h = prepareHistogram([{ label: 'a', from: 0, to: 1, count: 0 }, { label: 'b', from: 1, to: 2, count: 4 }, { label: 'c', from: 2, to: null, count: 0 }]);
    expect(h.bars.map((b) => b.label)).toEqual(['a', 'b']);
  });

  it('prefixes a unit to the labels', () => {
    expect(prepareHistogram(bins, '£').bars[0]!.label).toBe('£0–1');
  });

  it('copes with all-empty input', () => {
    const h = prepareHistogram([{ label: 'a', from: 0, to: null, count: 0 }]);
    expect(h).toMatchObject({ total: 0, mode: null, medianBin: null });
    expect(h.bars).toHaveLength(1);
    expect(prepareHistogram([]).bars).toEqual([]);
  });
});
