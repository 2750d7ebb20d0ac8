import { describe, expect, it } from 'vitest';
import { expNonPositive, logOneToFour } from './fast-math';

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

describe('logOneToFour', () => {
  it('matches Math.log within 1e-10 on [1, 4]', () => {
    let worst = 0;
    for (let i = 0; i <= 300_000; i++) {
      const x = 1 + (3 * i) / 300_000;
      worst = Math.max(worst, Math.abs(logOneToFour(x) - Math.log(x)));
    }
    expect(worst).toBeLessThan(1e-10);
    expect(logOneToFour(1)).toBe(0);
  });
});
