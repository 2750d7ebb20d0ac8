import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { learnProductTags, TAG_LA, TAG_MM, TAG_NONE, TAG_UM } from './product-tags';

/** Baskets generated from known tags and thresholds; the learner must find them again. */
function world(seed: number) {
  const rng = new Rng(seed);
  const products = 200;
  const truth = Int8Array.from({ length: products }, () => {
    const u = rng.next();
    return u < 0.2 ? TAG_LA : u < 0.7 ? TAG_MM : u < 0.9 ? TAG_UM : TAG_NONE;
  });
  const offsets = [0];
  const codes: number[] = [];
  const labels: number[] = [];
  for (let b = 0; b < 6000; b++) {
    const n = 1 + rng.int(8);
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(rng.int(products));
    let um = 0, la = 0, tagged = 0;
    for (const p of chosen) {
      codes.push(p);
      if (truth[p] !== TAG_NONE) tagged++;
      if (truth[p] === TAG_UM) um++;
      if (truth[p] === TAG_LA) la++;
    }
    offsets.push(codes.length);
    const balance = tagged ? (um - la) / tagged : 0;
    labels.push(balance > 0.18 ? 2 : balance < -0.23 ? 0 : 1);
  }
  return { truth, lineOffsets: Int32Array.from(offsets), lineCodes: Int32Array.from(codes), labels: Int8Array.from(labels), products };
}

describe('learning product tags', () => {
  it('recovers the tags (including untagged products) and thresholds that generated the labels', () => {
    const w = world(3);
    const learned = learnProductTags({ vocabularySize: w.products, lineOffsets: w.lineOffsets, lineCodes: w.lineCodes, labels: w.labels });
    expect(learned.trainingAgreement).toBeGreaterThan(0.995);
    let same = 0;
    for (let p = 0; p < w.products; p++) if (learned.tags[p] === w.truth[p]) same++;
    expect(same / w.products).toBeGreaterThan(0.95);
    expect(learned.thresholds.um).toBeGreaterThan(0.1);
    expect(learned.thresholds.um).toBeLessThan(0.25);
    expect(learned.thresholds.la).toBeGreaterThan(-0.3);
    expect(learned.thresholds.la).toBeLessThan(-0.15);
  });

  it('ignores baskets without a label and products outside the vocabulary', () => {
    const w = world(4);
    const labels = Int8Array.from(w.labels, (l, i) => (i % 3 === 0 ? -1 : l));
    const codes = Int32Array.from(w.lineCodes, (c, i) => (i % 50 === 0 ? -1 : c));
    const learned = learnProductTags({ vocabularySize: w.products, lineOffsets: w.lineOffsets, lineCodes: codes, labels });
    expect(learned.tags).toHaveLength(w.products);
    expect(learned.trainingAgreement).toBeGreaterThan(0.95);
  });
});
