import type { BinnedMatrix, FeatureBins } from '../core/binning';
import { throwIfAborted } from '../core/errors';
import type { Rng } from '../core/random';
import { rowBin } from '../gbdt/grower';
import type { HistogramLayout } from '../gbdt/histogram';

/**
 * CART classification trees (as scikit-learn's DecisionTreeClassifier): splits
 * maximise the weighted impurity decrease N_t·i(t) − N_L·i(L) − N_R·i(R) under
 * Gini or entropy; leaves hold class distributions. Candidate thresholds are
 * the midpoints between consecutive values (exactly CART's) whenever a feature
 * has at most maxBins distinct values, quantiles otherwise. Histograms of
 * weighted class counts make large data fast; weights carry bootstrap counts.
 */
export type TreeParams = {
  criterion: 'gini' | 'entropy';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  /** Features examined per split (all, or a random subset as in random forests). */
  maxFeatures: number;
};

export type FlatTree = {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Class distribution per node (k values per node), normalised. */
  distribution: number[];
  /** Weighted impurity decrease per internal node (for feature importance). */
  gain: number[];
};

function impurity(counts: Float64Array | number[], offset: number, k: number, total: number, criterion: TreeParams['criterion']) {
  if (total <= 0) return 0;
  let s = 0;
  if (criterion === 'gini') {
    for (let c = 0; c < k; c++) {
      const p = counts[offset + c]! / total;
      s += p * p;
    }
    return 1 - s;
  }
  for (let c = 0; c < k; c++) {
    const p = counts[offset + c]! / total;
    if (p > 0) s -= p * Math.log2(p);
  }
  return s;
}

type Candidate = { feature: number; bin: number; decrease: number };

/** Weighted class counts per (feature, bin) for rows[from..to), only for `features`. */
function classHistogram(X: BinnedMatrix, layout: HistogramLayout, rows: Int32Array, from: number, to: number, y: Int32Array, w: Float64Array, k: number, featureMask: Uint8Array, totals: Float64Array, out: Float64Array) {
  out.fill(0);
  totals.fill(0);
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    const wr = w[r]!;
    const c = y[r]!;
    totals[c]! += wr;
    for (let p = X.indptr[r]!; p < X.indptr[r + 1]!; p++) {
      const f = X.indices[p]!;
      if (!featureMask[f]) continue;
      out[(layout.offsets[f]! + X.bins[p]!) * k + c]! += wr;
    }
  }
  for (let f = 0; f < X.cols; f++) {
    if (!featureMask[f]) continue;
    const start = layout.offsets[f]!;
    const end = layout.offsets[f + 1]!;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let b = start; b < end; b++) s += out[b * k + c]!;
      out[(start + X.zeroBin[f]!) * k + c]! += totals[c]! - s;
    }
  }
}

export function growClassificationTree(opts: {
  X: BinnedMatrix;
  bins: FeatureBins;
  layout: HistogramLayout;
  y: Int32Array;
  /** Per-row weight (class weights × bootstrap counts); rows with weight 0 are left out. */
  weight: Float64Array;
  k: number;
  params: TreeParams;
  rng: Rng;
  signal?: AbortSignal;
}): FlatTree {
  const { X, layout, y, weight, k, params, rng } = opts;
  const rowsAll: number[] = [];
  for (let i = 0; i < X.rows; i++) if (weight[i]! > 0) rowsAll.push(i);
  const rows = Int32Array.from(rowsAll);
  const tree: FlatTree = { feature: [], threshold: [], left: [], right: [], distribution: [], gain: [] };
  const hist = new Float64Array(layout.totalBins * k);
  const totals = new Float64Array(k);
  const mask = new Uint8Array(X.cols);
  const allFeatures = Int32Array.from({ length: X.cols }, (_, i) => i);
  let totalWeight = 0;
  for (const r of rows) totalWeight += weight[r]!;
  let nodes = 0;

  const grow = (from: number, to: number, depth: number): number => {
    if (++nodes % 256 === 0) throwIfAborted(opts.signal);
    const id = tree.feature.length;
    tree.feature.push(-1); tree.threshold.push(0); tree.left.push(-1); tree.right.push(-1); tree.gain.push(0);
    for (let c = 0; c < k; c++) tree.distribution.push(0);
    const chosen = params.maxFeatures >= X.cols ? allFeatures : rng.sample(X.cols, params.maxFeatures);
    mask.fill(0);
    for (const f of chosen) mask[f] = 1;
    classHistogram(X, layout, rows, from, to, y, weight, k, mask, totals, hist);
    let nodeWeight = 0;
    for (let c = 0; c < k; c++) nodeWeight += totals[c]!;
    for (let c = 0; c < k; c++) tree.distribution[id * k + c] = nodeWeight > 0 ? totals[c]! / nodeWeight : 0;
    const count = to - from;
    const nodeImpurity = impurity(totals, 0, k, nodeWeight, params.criterion);
    if (depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * params.minSamplesLeaf || nodeImpurity <= 1e-12) return id;

    let best: Candidate | null = null;
    const left = new Float64Array(k);
    const right = new Float64Array(k);
    for (const f of chosen) {
      const start = layout.offsets[f]!;
      const nb = layout.counts[f]!;
      left.fill(0);
      let lw = 0;
      for (let b = 0; b < nb - 1; b++) {
        for (let c = 0; c < k; c++) {
          const v = hist[(start + b) * k + c]!;
          left[c]! += v;
          lw += v;
        }
        if (lw <= 0) continue;
        const rw = nodeWeight - lw;
        if (rw <= 1e-12) break;
        for (let c = 0; c < k; c++) right[c] = totals[c]! - left[c]!;
        const decrease = nodeWeight * nodeImpurity - lw * impurity(left, 0, k, lw, params.criterion) - rw * impurity(right, 0, k, rw, params.criterion);
        if (decrease > 1e-12 && (!best || decrease > best.decrease + 1e-12)) best = { feature: f, bin: b, decrease };
      }
    }
    if (!best || best.decrease / totalWeight < params.minImpurityDecrease) return id;
    // Partition; refuse splits that leave a side smaller than minSamplesLeaf.
    let i = from;
    let j = to - 1;
    while (i <= j) {
      if (rowBin(X, rows[i]!, best.feature) <= best.bin) i++;
      else {
        const t = rows[i]!;
        rows[i] = rows[j]!;
        rows[j] = t;
        j--;
      }
    }
    if (i - from < params.minSamplesLeaf || to - i < params.minSamplesLeaf) return id;
    tree.feature[id] = best.feature;
    tree.threshold[id] = opts.bins.upper[best.feature]![best.bin]!;
    tree.gain[id] = best.decrease;
    const l = grow(from, i, depth + 1);
    const r = grow(i, to, depth + 1);
    tree.left[id] = l;
    tree.right[id] = r;
    return id;
  };
  grow(0, rows.length, 0);
  return tree;
}

export function predictTree(tree: FlatTree, row: Float32Array, k: number, out: Float64Array, weight = 1) {
  let node = 0;
  while (tree.left[node]! >= 0) node = row[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  for (let c = 0; c < k; c++) out[c]! += weight * tree.distribution[node * k + c]!;
}
