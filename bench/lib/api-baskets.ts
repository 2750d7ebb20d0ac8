import { LABELS } from '../../ml/core/labels';
import { CONTEXT_FIELDS, LINE_CODE_FIELDS, type BasketTable } from '../../ml/data/basket-table';
import type { BasketRequest } from '../../ml/data/basket-schema';

/** Basket `b` of a table as the prediction API takes it, with its true label. */
export function apiBasket(table: BasketTable, b: number): { basket: BasketRequest; label: string } {
  const code = (column: { codes: Int32Array; dictionary: string[] }, i: number) => {
    const c = column.codes[i]!;
    return c < 0 ? null : column.dictionary[c]!;
  };
  const basket: BasketRequest = { basketId: table.basketId[b]!, week: table.week[b]!, lines: [] };
  if (table.hour[b]! >= 0) basket.hour = table.hour[b]!;
  if (table.weekday[b]! >= 1) basket.weekday = table.weekday[b]!;
  for (const f of CONTEXT_FIELDS) basket[f] = code(table.context[f], b);
  // The API allows 1000 lines per basket; no real basket comes near it.
  for (let k = table.lineOffsets[b]!; k < Math.min(table.lineOffsets[b + 1]!, table.lineOffsets[b]! + 1000); k++) {
    const line: BasketRequest['lines'][number] = {
      prod: code(table.lines.prod, k)!,
      quantity: Math.max(0, Math.round(table.lines.quantity[k]! * 1000) / 1000),
      // Float32 in the table: back to the cents the CSV had.
      spend: Math.round(table.lines.spend[k]! * 100) / 100,
    };
    for (const f of LINE_CODE_FIELDS) if (f !== 'prod') line[f] = code(table.lines[f], k);
    basket.lines.push(line);
  }
  return { basket, label: LABELS[table.label[b]!]! };
}

/** `count` distinct basket indices of the table, in a seeded random order (all when there are fewer). */
export function pickBaskets(table: BasketTable, count: number, seed: number): number[] {
  const order = Array.from({ length: table.size }, (_, i) => i);
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: reproducible picks without a dependency.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, Math.min(count, order.length));
}
