import { describe, expect, it } from 'vitest';
import { expNonPositive } from './fast-math';

describe('expNonPositive', () => {
  it('matches Math.exp within 1e-8 relative over the softmax range', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -((i / 200_000) ** 2) * 700;
      const want = Math.exp(x);
      worst = Math.max(worst, Math.abs(expNonPositive(x) - want) / want);
    }
    expect(worst).toBeLessThan(1e-8);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-1000)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(Number.NaN)).toBeNaN();
  });
});
