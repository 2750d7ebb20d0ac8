import fc from 'fast-check';

/**
 * Generators of request bodies for property tests: baskets that are mostly valid,
 * with boundary values, wrong types and unknown fields mixed in.
 */
/** Values near every boundary basketSchema draws, plus wrong types. */
export const noise = fc.oneof(
  fc.constantFrom(null, true, 0, -0, 1, -1, 0.5, 23, 24, 7, 8, 190001, 210053, 210054, 1e6, 1_000_001, -1e6, -1_000_001, 1e400, '', ' ', ' a ', 'x'.repeat(64), ` ${'y'.repeat(64)} `, 'z'.repeat(65), [], {}),
  fc.string({ maxLength: 70 }),
  fc.double(),
  fc.integer(),
);
/** Mostly valid values, sometimes noise: most baskets pass, each field's boundaries get probed. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: noise, weight: 1 });
const code = mostly(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('  LS ', 'E01', 'é'.repeat(64), ` ${'c'.repeat(64)}`)));
const optionalCode = fc.option(code, { freq: 4 });
const withExtra = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, { arbitrary: fc.tuple(fc.constantFrom('colour', 'price', 'Lines', 'constructor'), noise), weight: 1 })).map(([o, extra]) => (extra ? { ...o, [extra[0]]: extra[1] } : o));
const line = withExtra(fc.record(
  { prod: code, p10: optionalCode, p20: optionalCode, p30: optionalCode, p40: optionalCode, quantity: mostly(fc.double({ min: 0, max: 1e6, noNaN: true })), spend: mostly(fc.double({ min: -1e6, max: 1e6, noNaN: true })) },
  { requiredKeys: ['prod'] },
));
export const basketArbitrary = withExtra(fc.record(
  {
    basketId: mostly(fc.string({ maxLength: 70 })), week: mostly(fc.integer({ min: 190001, max: 210053 })), hour: mostly(fc.integer({ min: 0, max: 23 })),
    weekday: mostly(fc.integer({ min: 1, max: 7 })), storeCode: optionalCode, storeFormat: optionalCode, storeRegion: optionalCode, basketSize: optionalCode,
    basketType: optionalCode, mission: optionalCode, seg1: optionalCode, seg2: optionalCode, lines: mostly(fc.array(line, { minLength: 1, maxLength: 4 })),
  },
  { requiredKeys: ['lines'] },
));
/** What the service sees after JSON.parse (-0 becomes 0, non-finite numbers null). */
export const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

