/**
 * Learned product tags. In this data a basket's label is (almost exactly) a
 * function of its products: each product carries a tag — LA, MM, UM, or none —
 * and the label follows from the balance b = (#UM − #LA) / (#LA + #MM + #UM) of
 * the basket's tagged lines: LA below a lower threshold, UM above an upper one,
 * MM between (see README "What the data says"). We learn both from the training
 * baskets, alternating:
 *   thresholds ← the pair that classifies the most baskets, given the tags
 *   tags       ← per product, the tag that makes the most of its baskets right
 * starting from the tags one-line baskets reveal directly. The resulting balance
 * and tag shares are features the classifiers learn from (they learn their own
 * boundaries); the thresholds are kept for reporting.
 */
export const TAG_LA = 0;
export const TAG_MM = 1;
export const TAG_UM = 2;
export const TAG_NONE = 3;

export type LearnedTags = {
  /** One tag per vocabulary product. */
  tags: Int8Array;
  thresholds: { la: number; um: number };
  /** Share of training baskets the rule classifies correctly with these tags. */
  trainingAgreement: number;
  passes: number;
};

type Counts = { um: Int32Array; la: Int32Array; n: Int32Array };

function classify(um: number, la: number, n: number, t: { la: number; um: number }) {
  const balance = n > 0 ? (um - la) / n : 0;
  return balance > t.um ? 2 : balance < t.la ? 0 : 1;
}

/** Best (la, um) thresholds for the current balances: two one-dimensional sweeps over sorted balances. */
function fitThresholds(balance: Float64Array, labels: Int8Array, baskets: Int32Array): { la: number; um: number } {
  const order = Array.from(baskets).sort((a, b) => balance[a]! - balance[b]!);
  const n = order.length;
  // Upper threshold: maximise #UM above + #(not UM) at or below.
  let notUmBelow = 0;
  let umAbove = order.reduce((s, b) => s + (labels[b] === 2 ? 1 : 0), 0);
  let bestUm = { score: umAbove, at: -Infinity };
  for (let i = 0; i < n; i++) {
    const b = order[i]!;
    if (labels[b] === 2) umAbove--;
    else notUmBelow++;
    const next = i + 1 < n ? balance[order[i + 1]!]! : Infinity;
    if (next === balance[b]) continue;
    if (umAbove + notUmBelow > bestUm.score) bestUm = { score: umAbove + notUmBelow, at: next === Infinity ? balance[b]! : (balance[b]! + next) / 2 };
  }
  // Lower threshold: maximise #LA below + #(not LA) at or above.
  let laBelow = 0;
  let notLaAbove = order.reduce((s, b) => s + (labels[b] === 0 ? 0 : 1), 0);
  let bestLa = { score: notLaAbove, at: -Infinity };
  for (let i = 0; i < n; i++) {
    const b = order[i]!;
    if (labels[b] === 0) laBelow++;
    else notLaAbove--;
    const next = i + 1 < n ? balance[order[i + 1]!]! : Infinity;
    if (next === balance[b]) continue;
    if (laBelow + notLaAbove > bestLa.score) bestLa = { score: laBelow + notLaAbove, at: next === Infinity ? balance[b]! : (balance[b]! + next) / 2 };
  }
  return { la: bestLa.at, um: Math.max(bestUm.at, bestLa.at) };
}

export function learnProductTags(opts: {
  vocabularySize: number;
  lineOffsets: Int32Array;
  /** Vocabulary index per line (-1 = not in vocabulary). */
  lineCodes: Int32Array;
  /** Per basket: 0 LA, 1 MM, 2 UM; baskets with -1 are ignored. */
  labels: Int8Array;
  maxPasses?: number;
}): LearnedTags {
  const { vocabularySize: v, lineOffsets, lineCodes, labels } = opts;
  const baskets: number[] = [];
  for (let b = 0; b < labels.length; b++) if (labels[b]! >= 0) baskets.push(b);
  const labelled = Int32Array.from(baskets);

  // Start: one-line baskets show a product's tag directly; others take their most common basket label.
  const single = new Int32Array(v * 3);
  const rates = new Int32Array(v * 3);
  const byProduct: number[][] = Array.from({ length: v }, () => []);
  for (const b of labelled) {
    const start = lineOffsets[b]!;
    const end = lineOffsets[b + 1]!;
    for (let k = start; k < end; k++) {
      const p = lineCodes[k]!;
      if (p < 0) continue;
      rates[p * 3 + labels[b]!]!++;
      byProduct[p]!.push(b);
      if (end - start === 1) single[p * 3 + labels[b]!]!++;
    }
  }
  const tags = new Int8Array(v).fill(TAG_MM);
  // A product alone in LA or UM baskets is LA or UM for sure; alone in MM baskets it is MM or untagged.
  const locked = new Uint8Array(v);
  for (let p = 0; p < v; p++) {
    const s = [single[p * 3]!, single[p * 3 + 1]!, single[p * 3 + 2]!];
    const r = [rates[p * 3]!, rates[p * 3 + 1]!, rates[p * 3 + 2]!];
    const source = s.some((x) => x > 0) ? s : r;
    tags[p] = source.indexOf(Math.max(...source));
    if (s[0]! + s[2]! > 0 && tags[p] !== TAG_MM) locked[p] = 1;
  }

  const counts: Counts = { um: new Int32Array(labels.length), la: new Int32Array(labels.length), n: new Int32Array(labels.length) };
  const recount = () => {
    counts.um.fill(0); counts.la.fill(0); counts.n.fill(0);
    for (const b of labelled) {
      for (let k = lineOffsets[b]!; k < lineOffsets[b + 1]!; k++) {
        const p = lineCodes[k]!;
        const tag = p < 0 ? TAG_MM : tags[p]!;
        if (tag === TAG_NONE) continue;
        counts.n[b]!++;
        if (tag === TAG_UM) counts.um[b]!++;
        if (tag === TAG_LA) counts.la[b]!++;
      }
    }
  };
  recount();
  const balance = new Float64Array(labels.length);
  let thresholds = { la: -0.2, um: 0.2 };
  const maxPasses = opts.maxPasses ?? 10;
  let pass = 0;
  for (; pass < maxPasses; pass++) {
    for (const b of labelled) balance[b] = counts.n[b]! > 0 ? (counts.um[b]! - counts.la[b]!) / counts.n[b]! : 0;
    thresholds = fitThresholds(balance, labels, labelled);
    let changed = 0;
    const score = new Int32Array(4);
    for (let p = 0; p < v; p++) {
      if (locked[p] || byProduct[p]!.length === 0) continue;
      const current = tags[p]!;
      score.fill(0);
      for (const b of byProduct[p]!) {
        const um = counts.um[b]! - (current === TAG_UM ? 1 : 0);
        const la = counts.la[b]! - (current === TAG_LA ? 1 : 0);
        const n = counts.n[b]! - (current === TAG_NONE ? 0 : 1);
        for (let t = 0; t < 4; t++) {
          if (classify(um + (t === TAG_UM ? 1 : 0), la + (t === TAG_LA ? 1 : 0), n + (t === TAG_NONE ? 0 : 1), thresholds) === labels[b]) score[t]!++;
        }
      }
      let best = current;
      for (let t = 0; t < 4; t++) if (score[t]! > score[best]!) best = t;
      if (best === current) continue;
      changed++;
      for (const b of byProduct[p]!) {
        if (current === TAG_UM) counts.um[b]!--;
        if (current === TAG_LA) counts.la[b]!--;
        if (current === TAG_NONE) counts.n[b]!++;
        if (best === TAG_UM) counts.um[b]!++;
        if (best === TAG_LA) counts.la[b]!++;
        if (best === TAG_NONE) counts.n[b]!--;
      }
      tags[p] = best;
    }
    if (!changed) {
      pass++;
      break;
    }
  }
  let agree = 0;
  for (const b of labelled) if (classify(counts.um[b]!, counts.la[b]!, counts.n[b]!, thresholds) === labels[b]) agree++;
  return { tags, thresholds, trainingAgreement: labelled.length ? agree / labelled.length : 0, passes: pass };
}
