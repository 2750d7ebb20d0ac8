import type { BinnedMatrix } from '../core/binning';
import { f64, SERIAL, type Kernel, type KernelArgs, type Parallel } from '../core/parallel';
import { buildHistogram, globalBins, histogramLayout, subtractHistogram, type HistogramLayout, type SharedHistogramSpace } from './histogram';

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
  /** Rows scanned into histograms: the tree's cost, to balance threads by. */
  work: number;
};

const EMPTY = new Float64Array(0);

type Split = { feature: number; bin: number; gain: number; gl: number; hl: number; nl: number };
type Node = { id: number; from: number; to: number; depth: number; G: number; H: number; hist: Float64Array; split: Split | null };

function leafValue(G: number, H: number, p: GrowParams) {
  return (-G / (H + p.lambda)) * p.learningRate;
}

/**
 * Whether split finding needs row counts per bin: only for a minimum leaf size
 * above one, or when no minimum hessian keeps empty children out.
 */
export function needsCounts(p: GrowParams): boolean {
  return p.minSamplesLeaf > 1 || !(p.minChildWeight > 0);
}

function bestSplit(hist: Float64Array, layout: HistogramLayout, features: Int32Array, G: number, H: number, N: number, p: GrowParams): Split | null {
  const parentScore = (G * G) / (H + p.lambda);
  // Without counts (all 0), the leaf-size tests are off; minChildWeight > 0 does their work.
  const minN = needsCounts(p) ? p.minSamplesLeaf : -Infinity;
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
      if (nl < minN || hl < p.minChildWeight) continue;
      const nr = N - nl;
      const hr = H - hl;
      if (nr < minN || hr < p.minChildWeight) break;
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

/** This thread's partition buffer (grown as needed). */
let scratch = new Int32Array(0);

/** Partition rows[from..to) in place: left rows first. Returns the boundary. */
function partition(X: BinnedMatrix, rows: Int32Array, from: number, to: number, feature: number, bin: number) {
  const columns = X.columns;
  if (columns) {
    // Stable two-pass partition through a scratch buffer: sequential reads, no search.
    const base = feature * X.rows;
    if (scratch.length < to - from) scratch = new Int32Array(Math.max(to - from, 2 * scratch.length));
    let left = from;
    let right = 0;
    for (let i = from; i < to; i++) {
      // Branch-free (the side is unpredictable): write both, advance one.
      const r = rows[i]!;
      const goRight = (bin - columns[base + r]!) >>> 31;
      rows[left] = r;
      scratch[right] = r;
      left += 1 - goRight;
      right += goRight;
    }
    rows.set(scratch.subarray(0, right), left);
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
  /** The root's histogram and sums when the caller built it (see buildRootHistograms); not recycled. */
  given?: { hist: Float64Array; G: number; H: number },
): GrownTree {
  const size = 3 * layout.totalBins;
  // Histogram buffers are recycled across nodes and trees (they are large and many).
  const take = () => {
    const buffer = pool.pop();
    return buffer && buffer.length === size ? buffer : f64(parallel, size);
  };
  const give = (buffer: Float64Array) => {
    if (buffer.length === size && buffer !== given?.hist) pool.push(buffer);
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
  let work = count;
  const counted = needsCounts(p);
  const rootHist = given ? given.hist : take();
  const totals = given ?? buildHistogram(X, layout, rows, 0, count, g, h, rootHist, gbin, parallel, space, counted);
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
    // Children that can never split (depth or leaf budget reached, too few rows)
    // need no histograms: their leaf values come from the split's sums.
    const budget = leaves + 1 < p.maxLeaves; // leaves after this split
    const splittable = (from: number, to: number) => budget && node.depth + 1 < p.maxDepth && to - from >= 2 * p.minSamplesLeaf;
    const needHist = splittable(node.from, mid) || splittable(mid, node.to);
    const leftNode: Node = { id: newNode(), from: node.from, to: mid, depth: node.depth + 1, G: s.gl, H: s.hl, hist: needHist ? take() : EMPTY, split: null };
    const rightNode: Node = { id: newNode(), from: mid, to: node.to, depth: node.depth + 1, G: node.G - s.gl, H: node.H - s.hl, hist: needHist ? take() : EMPTY, split: null };
    feature[node.id] = s.feature;
    binArr[node.id] = s.bin;
    left[node.id] = leftNode.id;
    right[node.id] = rightNode.id;
    gains[node.id] = s.gain;
    leaves++;
    if (needHist) {
      const [small, large] = mid - node.from <= node.to - mid ? [leftNode, rightNode] : [rightNode, leftNode];
      buildHistogram(X, layout, rows, small.from, small.to, g, h, small.hist, gbin, parallel, space, counted);
      work += small.to - small.from;
      subtractHistogram(node.hist, small.hist, large.hist);
    }
    give(node.hist);
    node.hist = EMPTY;
    for (const child of [leftNode, rightNode]) {
      child.split = splittable(child.from, child.to) ? bestSplit(child.hist, layout, features, child.G, child.H, child.to - child.from, p) : null;
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
    work,
  };
}

/** Class c's root histogram from the kernel's arguments (roots, rootG, rootH), if the caller built them. */
function rootOf(args: KernelArgs, c: number, layout: HistogramLayout) {
  const roots = args.roots as Float64Array | null | undefined;
  if (!roots) return undefined;
  const size = 3 * layout.totalBins;
  return { hist: roots.subarray(c * size, (c + 1) * size), G: (args.rootG as number[])[c]!, H: (args.rootH as number[])[c]! };
}

/** Most nodes a tree can have: every split adds one leaf, and there are at most maxLeaves. */
export function maxNodes(p: GrowParams): number {
  return 2 * Math.max(1, p.maxLeaves) - 1;
}

/** Each thread's private histogram buffers, kept between calls (grown trees are many). */
const threadPool: Float64Array[] = [];

/**
 * Kernel: several trees at once, one per thread, each grown serially — for
 * multiclass boosting, where a round's class trees are independent. Thread t
 * grows class classes[t] (−1: idle) over a private copy of the sampled rows and
 * writes the tree into its slice of the out* arrays (outNodes[t] nodes).
 * Without column-major bins it also adds its leaves to the training scores
 * (and multiplies exp(leaf value) into their exp-scores).
 */
export const growTreesKernel: Kernel = function growTreesKernel(args, thread) {
  const c = (args.classes as number[])[thread]!;
  if (c === undefined || c < 0) return;
  const n = args.rows as number;
  const sampled = args.sampled as number;
  const X: BinnedMatrix = {
    rows: n, cols: args.cols as number, indptr: args.indptr as Int32Array, indices: args.indices as Int32Array, bins: args.bins as Uint8Array,
    zeroBin: args.zeroBin as Uint8Array, columns: (args.columns as Uint8Array | null) ?? undefined,
  };
  const layout = histogramLayout(args.counts as Uint16Array);
  const nTrain = args.nTrain as number;
  const rows = (args.treeRows as Int32Array).subarray(thread * nTrain, (thread + 1) * nTrain);
  rows.set((args.sample as Int32Array).subarray(0, sampled));
  const featureStart = args.featureStart as number[];
  const features = Int32Array.from((args.features as number[]).slice(featureStart[c]!, featureStart[c + 1]!));
  const p: GrowParams = {
    maxDepth: args.maxDepth as number, maxLeaves: args.maxLeaves as number, growth: args.growth as GrowParams['growth'], lambda: args.lambda as number,
    gamma: args.gamma as number, minChildWeight: args.minChildWeight as number, minSamplesLeaf: args.minSamplesLeaf as number, learningRate: args.learningRate as number,
  };
  const k = args.k as number;
  const scores = args.scores as Float64Array;
  const g = (args.g as Float32Array).subarray(c * n, (c + 1) * n);
  const h = (args.h as Float32Array).subarray(c * n, (c + 1) * n);
  const expScores = args.expScores as Float64Array;
  const tree = growTree(X, layout, rows, sampled, g, h, features, p, X.columns ? () => {} : (leafRows, from, to, v) => {
    const ev = Math.exp(v);
    for (let i = from; i < to; i++) {
      scores[leafRows[i]! * k + c]! += v;
      expScores[leafRows[i]! * k + c]! *= ev;
    }
  }, args.gbin as Uint16Array, threadPool, SERIAL, undefined, rootOf(args, c, layout));
  const m = maxNodes(p);
  const at = thread * m;
  (args.outFeature as Int32Array).set(tree.feature, at);
  (args.outBin as Int32Array).set(tree.bin, at);
  (args.outLeft as Int32Array).set(tree.left, at);
  (args.outRight as Int32Array).set(tree.right, at);
  (args.outValue as Float32Array).set(tree.value, at);
  (args.outGain as Float32Array).set(tree.gain, at);
  (args.outNodes as Int32Array)[thread] = tree.feature.length;
  (args.outWork as Float64Array)[thread] = tree.work;
};
