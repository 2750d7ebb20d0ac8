import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basketSchema } from '../../ml/data/basket-schema';
import { fastParseBasket } from './fast-basket';
import { asJson, basketArbitrary } from './testing/arbitraries';
import { requestBaskets } from './testing/fixtures';

describe('fastParseBasket', () => {
  it('accepts exactly what basketSchema accepts, and returns what it returns', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(basketArbitrary, (raw) => {
        const input = asJson(raw);
        const fast = fastParseBasket(input);
        const slow = basketSchema.safeParse(input);
        // For JSON input the two agree exactly: the fast path never falls back on a valid basket.
        expect(fast !== null).toBe(slow.success);
        if (fast) {
          accepted++;
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        } else if (!slow.success) refused++;
      }),
      { numRuns: 2000, seed: 42 },
    );
    // The generator must reach both branches, or this test proves nothing.
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  }, 30_000);

  it('takes the fast path for realistic baskets (so the hot path really skips zod)', () => {
    const baskets = requestBaskets(200, 5).map((b) => JSON.parse(JSON.stringify({ ...b, storeCode: ' S1 ', lines: b.lines.map((l, i) => (i ? l : { prod: l.prod })) })));
    for (const b of baskets) {
      const fast = fastParseBasket(b);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(basketSchema.parse(b));
    }
  });

  it('leaves every invalid basket to zod', () => {
    for (const bad of [
      { lines: [] }, { lines: [{ prod: ' ' }] }, { lines: [{ prod: 'a', quantity: -1 }] }, { lines: [{ prod: 'a' }], hour: 24 }, { lines: [{ prod: 'a' }], x: 1 },
      { lines: [{ prod: 'a', spend: '1' }] }, { lines: [{ prod: 'a', quantity: Infinity }] }, { lines: [{ prod: 'a', spend: Number.NaN }] }, { lines: [{ prod: 'a' }], week: 200601.5 }, { lines: Array(1001).fill({ prod: 'a' }) }, [{ lines: [{ prod: 'a' }] }],
    ]) {
      expect(fastParseBasket(bad)).toBeNull();
      expect(basketSchema.safeParse(bad).success).toBe(false);
    }
  });
});
