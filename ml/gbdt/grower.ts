import type { BinnedMatrix } from '../core/binning';
import { f64, SERIAL, type Parallel } from '../core/parallel';
import { buildHistogram, globalBins, subtractHistogram, type HistogramLayout, type SharedHistogramSpace } from './histogram';

/**
 * Grows one regression tree on gradients/hessians (XGBoost/LightGBM style):
 * best-first ("lossguide") up to maxLeaves, or level by level ("depthwise") up
 * to maxDepth; gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), minus γ.
 */
export type GrowParams = {
  maxDepth: number;
  maxLeaves: number;
  growth: 'depthwise' | 'lossguide';
  lambda: number;
  gamma: number;
  minChildWeight: number;
  minSamplesLeaf: number;
  learningRate: number;
};

/** Flat node arrays; a leaf has left = -1. Split: bin(x_feature) ≤ bin → left. */
export type GrownTree = {
  feature: Int32Array;
  bin: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
  gain: Float32Array;
};

const EMPTY = new Float64Array(0);

type Split = { feature: number; bin: number; gain: number; gl: number; hl: number; nl: number };
type Node = { id: number; from: number; to: number; depth: number; G: number; H: number; hist: Float64Array; split: Split | null };

function leafValue(G: number, H: number, p: GrowParams) {
  return (-G / (H + p.lambda)) * p.learningRate;
}

function bestSplit(hist: Float64Array, layout: HistogramLayout, features: Int32Array, G: number, H: number, N: number, p: GrowParams): Split | null {
  const parentScore = (G * G) / (H + p.lambda);
  let best: Split | null = null;
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi]!;
    const start = layout.offsets[f]!;
    const bins = layout.counts[f]!;
    let gl = 0, hl = 0, nl = 0;
    for (let b = 0; b < bins - 1; b++) {
      const s = 3 * (start + b);
      gl += hist[s]!;
      hl += hist[s + 1]!;
      nl += hist[s + 2]!;
      if (nl < p.minSamplesLeaf || hl < p.minChildWeight) continue;
      const nr = N - nl;
      const hr = H - hl;
      if (nr < p.minSamplesLeaf || hr < p.minChildWeight) break;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + p.lambda) + (gr * gr) / (hr + p.lambda) - parentScore - p.gamma;
      if (gain > 1e-12 && (!best || gain > best.gain)) best = { feature: f, bin: b, gain, gl, hl, nl };
    }
  }
  return best;
}

/** The row's bin for a feature: its stored bin if non-zero, else the feature's zero bin. */
export function rowBin(X: BinnedMatrix, row: number, feature: number): number {
  if (X.columns) return X.columns[feature * X.rows + row]!;
  let lo = X.indptr[row]!;
  let hi = X.indptr[row + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = X.indices[mid]!;
    if (f === feature) return X.bins[mid]!;
    if (f < feature) lo = mid + 1;
    else hi = mid - 1;
  }
  return X.zeroBin[feature]!;
}

/** Partition rows[from..to) in place: left rows first. Returns the boundary. */
function partition(X: BinnedMatrix, rows: Int32Array, from: number, to: number, feature: number, bin: number) {
  const columns = X.columns;
  if (columns) {
    // Stable two-pass partition through a scratch buffer: sequential reads, no search.
    const base = feature * X.rows;
    let left = from;
    const right: number[] = [];
    for (let i = from; i < to; i++) {
      const r = rows[i]!;
      if (columns[base + r]! <= bin) rows[left++] = r;
      else right.push(r);
    }
    for (let i = 0; i < right.length; i++) rows[left + i] = right[i]!;
    return left;
  }
  let i = from;
  let j = to - 1;
  while (i <= j) {
    if (rowBin(X, rows[i]!, feature) <= bin) i++;
    else {
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
      j--;
    }
  }
  return i;
}

/**
 * Grow a tree over rows[0..count) (a subsample, possibly), with column subset
 * `features`. Returns the tree and, through `leafOf`, each row's leaf value (for
 * updating training scores without re-traversing).
 */
export function growTree(
  X: BinnedMatrix,
  layout: HistogramLayout,
  rows: Int32Array,
  count: number,
  g: Float32Array,
  h: Float32Array,
  features: Int32Array,
  p: GrowParams,
  onLeaf: (rows: Int32Array, from: number, to: number, value: number) => void,
  gbin: Uint16Array | Int32Array = globalBins(X, layout),
  pool: Float64Array[] = [],
  parallel: Parallel = SERIAL,
  space?: SharedHistogramSpace,
): GrownTree {
  const size = 3 * layout.totalBins;
  // Histogram buffers are recycled across nodes and trees (they are large and many).
  const take = () => {
    const buffer = pool.pop();
    return buffer && buffer.length === size ? buffer : f64(parallel, size);
  };
  const give = (buffer: Float64Array) => {
    if (buffer.length === size) pool.push(buffer);
  };
  const feature: number[] = [];
  const binArr: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const gains: number[] = [];
  const newNode = () => {
    feature.push(-1); binArr.push(-1); left.push(-1); right.push(-1); value.push(0); gains.push(0);
    return feature.length - 1;
  };
  const rootHist = take();
  const totals = buildHistogram(X, layout, rows, 0, count, g, h, rootHist, gbin, parallel, space);
  const root: Node = { id: newNode(), from: 0, to: count, depth: 0, G: totals.G, H: totals.H, hist: rootHist, split: null };
  root.split = root.depth < p.maxDepth ? bestSplit(rootHist, layout, features, totals.G, totals.H, count, p) : null;
  const open: Node[] = [root];
  let leaves = 1;
  const finish = (node: Node) => {
    const v = leafValue(node.G, node.H, p);
    value[node.id] = v;
    onLeaf(rows, node.from, node.to, v);
    give(node.hist);
    node.hist = EMPTY;
  };
  while (open.length) {
    // Best-first: the open node with the largest gain; depthwise: the shallowest.
    let pick = 0;
    for (let i = 1; i < open.length; i++) {
      const a = open[i]!;
      const b = open[pick]!;
      if (p.growth === 'depthwise' ? a.depth < b.depth || (a.depth === b.depth && (a.split?.gain ?? -1) > (b.split?.gain ?? -1)) : (a.split?.gain ?? -1) > (b.split?.gain ?? -1)) pick = i;
    }
    const node = open.splice(pick, 1)[0]!;
    if (!node.split || leaves >= p.maxLeaves) {
      finish(node);
      continue;
    }
    const s = node.split;
    const mid = partition(X, rows, node.from, node.to, s.feature, s.bin);
    const leftNode: Node = { id: newNode(), from: node.from, to: mid, depth: node.depth + 1, G: s.gl, H: s.hl, hist: take(), split: null };
    const rightNode: Node = { id: newNode(), from: mid, to: node.to, depth: node.depth + 1, G: node.G - s.gl, H: node.H - s.hl, hist: take(), split: null };
    feature[node.id] = s.feature;
    binArr[node.id] = s.bin;
    left[node.id] = leftNode.id;
    right[node.id] = rightNode.id;
    gains[node.id] = s.gain;
    leaves++;
    const [small, large] = mid - node.from <= node.to - mid ? [leftNode, rightNode] : [rightNode, leftNode];
    buildHistogram(X, layout, rows, small.from, small.to, g, h, small.hist, gbin, parallel, space);
    subtractHistogram(node.hist, small.hist, large.hist);
    give(node.hist);
    node.hist = EMPTY;
    for (const child of [leftNode, rightNode]) {
      const n = child.to - child.from;
      child.split = child.depth < p.maxDepth && n >= 2 * p.minSamplesLeaf ? bestSplit(child.hist, layout, features, child.G, child.H, n, p) : null;
      open.push(child);
    }
  }
  return {
    feature: Int32Array.from(feature),
    bin: Int32Array.from(binArr),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
    gain: Float32Array.from(gains),
  };
}
