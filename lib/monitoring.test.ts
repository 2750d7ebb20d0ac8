import { describe, expect, it } from 'vitest';
import { addConfusion, confusionScores, METRIC_RANGES, RANGE_REFRESH_MS, RANGE_RESOLUTION, refreshMsFor, resolutionFor, type Confusion } from './monitoring';

describe('confusionScores', () => {
  it('computes accuracy and macro F1 over every label seen', () => {
    const c: Confusion = {};
    addConfusion(c, 'LA', 'LA', 8);
    addConfusion(c, 'LA', 'MM', 2);
    addConfusion(c, 'MM', 'MM', 5);
    addConfusion(c, 'UM', 'MM', 5);
    const s = confusionScores(c);
    expect(s).toMatchObject({ labelled: 20, correct: 13, accuracy: 0.65 });
    // F1: LA 2·8/(16+0+2) = 0.8889, MM 2·5/(10+7+0) = 0.5882, UM 0
    expect(s.macro_f1).toBeCloseTo((16 / 18 + 10 / 17 + 0) / 3, 6);
  });

  it('is null without labels', () => {
    expect(confusionScores({})).toEqual({ labelled: 0, correct: 0, accuracy: null, macro_f1: null });
  });
});

it('the page refreshes short ranges every 10 s and hour-resolution ranges less often, never slower than a point', () => {
  for (const range of METRIC_RANGES) expect(RANGE_REFRESH_MS[range], range).toBeLessThanOrEqual(RANGE_RESOLUTION[range] * 1000);
  expect(RANGE_REFRESH_MS['1h']).toBe(10_000);
  expect(RANGE_REFRESH_MS['30d']).toBeGreaterThan(RANGE_REFRESH_MS['1h']);
  // An empty range (or no answer yet) is read every 10 s, so the first requests appear at once.
  const traffic = { empty: { traffic: null, feedback: null, latency: null } };
  const none = { empty: { traffic: 'No traffic yet.', feedback: null, latency: null } };
  expect(refreshMsFor('30d', traffic)).toBe(RANGE_REFRESH_MS['30d']);
  expect(refreshMsFor('30d', none)).toBe(10_000);
  expect(refreshMsFor('7d', undefined)).toBe(10_000);
});

it('resolutionFor keeps a custom range within the point budget', () => {
  expect(resolutionFor(3600)).toBe(60);
  expect(resolutionFor(86_400)).toBe(300);
  expect(resolutionFor(30 * 86_400)).toBe(3600);
  expect(resolutionFor(365 * 86_400)).toBe(86_400);
});
