import { NUM_CLASSES } from '../core/labels';

/**
 * Per-product class rates, smoothed toward the class prior: what "which products
 * are in the basket" says about its label, compressed into a few dense features
 * that tree models can split on. Out-of-fold on training data (no label leaks
 * into a basket's own features); full-data at serving time.
 */
export type ClassRates = {
  /** rates[code * NUM_CLASSES + c] = P(class c | category code), smoothed. */
  rates: Float32Array;
  /** Training baskets containing each code (how much the estimate is worth). */
  support: Int32Array;
};

export function classPrior(labels: ArrayLike<number>): Float64Array {
  const prior = new Float64Array(NUM_CLASSES);
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! < 0) continue;
    prior[labels[i]!]!++;
    n++;
  }
  for (let c = 0; c < NUM_CLASSES; c++) prior[c] = n ? prior[c]! / n : 1 / NUM_CLASSES;
  return prior;
}

/**
 * Count, for each code, the labelled baskets containing it (once per basket),
 * using only the baskets for which `include(b)` is true.
 */
export function fitClassRates(opts: {
  vocabularySize: number;
  baskets: number;
  lineOffsets: Int32Array;
  /** Vocabulary index per line (-1 = not in vocabulary). */
  lineCodes: Int32Array;
  labels: Int8Array;
  prior: Float64Array;
  smoothing: number;
  include?: (basket: number) => boolean;
}): ClassRates {
  const { vocabularySize: v, lineOffsets, lineCodes, labels, prior, smoothing } = opts;
  const counts = new Float64Array(v * NUM_CLASSES);
  const support = new Int32Array(v);
  const seen = new Int32Array(v).fill(-1);
  for (let b = 0; b < opts.baskets; b++) {
    const label = labels[b]!;
    if (label < 0 || (opts.include && !opts.include(b))) continue;
    for (let k = lineOffsets[b]!; k < lineOffsets[b + 1]!; k++) {
      const code = lineCodes[k]!;
      if (code < 0 || seen[code] === b) continue;
      seen[code] = b;
      counts[code * NUM_CLASSES + label]!++;
      support[code]!++;
    }
  }
  const rates = new Float32Array(v * NUM_CLASSES);
  for (let code = 0; code < v; code++) {
    const n = support[code]!;
    for (let c = 0; c < NUM_CLASSES; c++) rates[code * NUM_CLASSES + c] = (counts[code * NUM_CLASSES + c]! + smoothing * prior[c]!) / (n + smoothing);
  }
  return { rates, support };
}
