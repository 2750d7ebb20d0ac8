import { z } from 'zod';
import type { BasketInput } from './basket-table';

/**
 * One basket as a request describes it (prediction API, `predict` CLI input):
 * its lines plus optional store, time and customer-segment context. Unknown
 * fields are refused with their name; values are checked for sense.
 */
const code = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const optionalCode = code.nullable().optional();

export const basketLineSchema = z.strictObject({
  prod: code,
  p10: optionalCode,
  p20: optionalCode,
  p30: optionalCode,
  p40: optionalCode,
  quantity: z.number().min(0, 'must be ≥ 0').max(1_000_000, 'is implausibly large').default(1),
  spend: z.number().min(-1_000_000, 'is implausibly small').max(1_000_000, 'is implausibly large').default(0),
});

export const basketSchema = z.strictObject({
  basketId: z.string().max(64).optional(),
  week: z.number().int().min(190001).max(210053).optional(),
  hour: z.number().int().min(0).max(23).optional(),
  weekday: z.number().int().min(1).max(7).optional(),
  storeCode: optionalCode,
  storeFormat: optionalCode,
  storeRegion: optionalCode,
  basketSize: optionalCode,
  basketType: optionalCode,
  mission: optionalCode,
  seg1: optionalCode,
  seg2: optionalCode,
  lines: z.array(basketLineSchema).min(1, 'a basket needs at least one line').max(1000, 'at most 1000 lines per basket'),
});

export type BasketRequest = z.infer<typeof basketSchema>;

export function toBasketInput(b: BasketRequest): BasketInput {
  return { ...b, lines: b.lines.map((l) => ({ ...l })) };
}
