import { describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- a parity test reads the server list it mirrors
import { CODE_SETS } from '@/server/datasets/schema';
import { BASKET_LABELS, BASKET_TYPES, STORE_REGIONS } from './codes';

describe('client copies of the code sets', () => {
  it('match the server schema exactly', () => {
    expect([...STORE_REGIONS]).toEqual([...CODE_SETS.STORE_REGION]);
    expect([...BASKET_TYPES]).toEqual([...CODE_SETS.BASKET_TYPE]);
    expect([...BASKET_LABELS]).toEqual([...CODE_SETS.BASKET_PRICE_SENSITIVITY]);
  });
});
