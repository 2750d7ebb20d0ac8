import { binMatrix, fitBins, type BinnedMatrix } from '../core/binning';
import { MlError, throwIfAborted } from '../core/errors';
import { assertFinite, assertTrainingSet, type Matrix } from '../core/matrix';
import { Rng } from '../core/random';
import { f32, f64, i32, rangeOf, SERIAL, u8, type Kernel, type Parallel } from '../core/parallel';
import type { Classifier, FitOptions } from '../estimator';
import { growTree, growTreesKernel, maxNodes, needsCounts, type GrownTree, type GrowParams } from './grower';
import { buildRootHistograms, globalBins, histogramLayout, rootSpace, type HistogramLayout } from './histogram';
import { compileTree, forestScoresKernel, PackedForest, predictRawInto, type CompiledTree } from './predictor';

/**
 * Histogram gradient boosting with the softmax loss: each round fits one tree per
 * class to the gradients/hessians of the cross-entropy, on quantile-binned
 * features (binning → histograms → split finding → growth → a flat predictor).
 * Shrinkage, L2 on leaf values, minimum split gain, row and column subsampling,
 * and early stopping on a validation split.
 */
export type GbdtParams = {
  nEstimators: number;
  learningRate: number;
  maxDepth: number;
  maxLeaves: number;
  growth: 'depthwise' | 'lossguide';
  maxBins: number;
  lambda: number;
  gamma: number;
  minChildWeight: number;
  minSamplesLeaf: number;
  subsample: number;
  colsampleBytree: number;
  /** Fraction of training rows held out for early stopping (0 = off unless a validation set is given). */
  validationFraction: number;
  nIterNoChange: number;
  /**
   * goss: gradient-based one-side sampling (LightGBM) on large data — each round
   * keeps the rows with the largest gradients (gossTop) and a reweighted random
   * share (gossOther) of the rest; none: every row (or `subsample`).
   */
  sampling: 'goss' | 'none';
  gossTop: number;
  gossOther: number;
  seed: number;
};

/** Below this many rows GOSS saves little and adds noise: every row is used. */
const GOSS_MIN_ROWS = 50_000;

export const GBDT_DEFAULTS: GbdtParams = {
  nEstimators: 200,
  learningRate: 0.3,
  maxDepth: 6,
  maxLeaves: 31,
  growth: 'lossguide',
  maxBins: 255,
  lambda: 1,
  gamma: 0,
  minChildWeight: 1e-3,
  minSamplesLeaf: 20,
  subsample: 1,
  colsampleBytree: 1,
  validationFraction: 0.1,
  nIterNoChange: 10,
  sampling: 'goss',
  gossTop: 0.2,
  gossOther: 0.1,
  seed: 42,
};

type State = { kind: 'gbdt'; params: GbdtParams; classes: number; features: number; baseScore: number[]; trees: CompiledTree[]; bestIteration: number; importance: number[] };

export function softmaxInPlace(scores: Float64Array, k: number) {
  for (let i = 0; i < scores.length; i += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[i + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      scores[i + c] = Math.exp(scores[i + c]! - max);
      sum += scores[i + c]!;
    }
    for (let c = 0; c < k; c++) scores[i + c]! /= sum;
  }
}

function crossEntropy(scores: Float64Array, y: ArrayLike<number>, k: number) {
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[i * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(scores[i * k + c]! - max);
    loss += max + Math.log(sum) - scores[i * k + y[i]!]!;
  }
  return loss / Math.max(1, y.length);
}

export class GradientBoostingClassifier implements Classifier {
  readonly kind = 'gbdt';
  private trees: CompiledTree[] = [];
  private packed: PackedForest | null = null;
  private sharedPacked: PackedForest | null = null;
  private baseScore: number[] = [];
  private classes = 0;
  private features = 0;
  private bestIteration = 0;
  private importance = new Float64Array(0);

  constructor(readonly params: GbdtParams = GBDT_DEFAULTS) {
    const p = params;
    if (!(p.learningRate > 0 && p.learningRate <= 1)) throw new MlError('INVALID_PARAM', `learningRate must be in (0, 1] (got ${p.learningRate})`);
    if (!(p.maxBins >= 2 && p.maxBins <= 255)) throw new MlError('INVALID_PARAM', `maxBins must be between 2 and 255 (got ${p.maxBins})`);
    if (!(p.subsample > 0 && p.subsample <= 1)) throw new MlError('INVALID_PARAM', `subsample must be in (0, 1] (got ${p.subsample})`);
    if (!(p.colsampleBytree > 0 && p.colsampleBytree <= 1)) throw new MlError('INVALID_PARAM', `colsampleBytree must be in (0, 1] (got ${p.colsampleBytree})`);
    if (!(p.gossTop > 0 && p.gossOther > 0 && p.gossTop + p.gossOther < 1)) throw new MlError('INVALID_PARAM', `gossTop and gossOther must be positive and sum below 1 (got ${p.gossTop}, ${p.gossOther})`);
  }

  fit(X: Matrix, y: ArrayLike<number>, opts: FitOptions): void {
    const k = opts.classes;
    assertTrainingSet(X, y, k);
    const p = this.params;
    const rng = new Rng(p.seed);
    // Early stopping set: the one given, or a random fraction of the training rows.
    let trainRows = Int32Array.from({ length: X.rows }, (_, i) => i);
    let valRows: Int32Array | null = null;
    if (!opts.validation && p.validationFraction > 0 && X.rows >= 100) {
      const order = rng.shuffle(Int32Array.from(trainRows));
      const nVal = Math.max(1, Math.floor(X.rows * p.validationFraction));
      valRows = order.slice(0, nVal).sort();
      trainRows = order.slice(nVal).sort();
    }
    const parallel = opts.parallel ?? SERIAL;
    const bins = fitBins(X, p.maxBins, rng, undefined, parallel);
    const local = binMatrix(X, bins, parallel);
    // Everything the worker threads read or write lives in shared memory.
    const binned = { ...local, indptr: parallel.share(local.indptr), columns: local.columns && parallel.share(local.columns) };
    const layout = histogramLayout(bins.count);
    const gbin = parallel.share(globalBins(binned, layout));
    const space = parallel.threads > 1
      ? { outs: f64(parallel, (parallel.threads - 1) * 3 * layout.totalBins), totals: f64(parallel, 2 * parallel.threads), offsets: parallel.share(layout.offsets), zeroBin: parallel.share(binned.zeroBin) }
      : undefined;
    const pool: Float64Array[] = [];
    const n = X.rows;
    const d = X.cols;
    const nTrain = trainRows.length;
    const counts = new Float64Array(k);
    for (const r of trainRows) counts[y[r]!]!++;
    this.baseScore = Array.from(counts, (c) => Math.log(Math.max(c, 1) / nTrain));
    const scores = f64(parallel, n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) scores[i * k + c] = this.baseScore[c]!;
    // exp(scores), maintained alongside them (see gradientsKernel).
    const expScores = f64(parallel, n * k);
    for (let i = 0; i < n * k; i++) expScores[i] = Math.exp(scores[i]!);
    const valX = opts.validation?.X;
    const valY = opts.validation?.y;
    const valScores = valX ? new Float64Array(valX.rows * k).map((_, i) => this.baseScore[i % k]!) : null;
    const yArr = parallel.share(Int32Array.from(y as ArrayLike<number>));
    const gAll = f32(parallel, k * n);
    const hAll = f32(parallel, k * n);
    const gs = Array.from({ length: k }, (_, c) => gAll.subarray(c * n, (c + 1) * n));
    const hs = Array.from({ length: k }, (_, c) => hAll.subarray(c * n, (c + 1) * n));
    const losses = f64(parallel, 2 * parallel.threads);
    const growParams: GrowParams = { maxDepth: p.maxDepth, maxLeaves: p.maxLeaves, growth: p.growth, lambda: p.lambda, gamma: p.gamma, minChildWeight: p.minChildWeight, minSamplesLeaf: p.minSamplesLeaf, learningRate: p.learningRate };
    const importance = new Float64Array(d);
    const trees: CompiledTree[] = [];
    let best = { loss: Infinity, iteration: 0 };
    const allFeatures = Int32Array.from({ length: d }, (_, i) => i);
    const inSample = u8(parallel, n);
    const rows = i32(parallel, nTrain);
    const gossCounts = i32(parallel, parallel.threads);
    const treeRows = i32(parallel, nTrain);
    /** Σ_c |gradient| per row (GOSS ranks rows by it), from the gradient pass. */
    const magnitude = f32(parallel, n);
    const sharedTrainRows = parallel.share(trainRows);
    const useGoss = p.sampling === 'goss' && nTrain >= GOSS_MIN_ROWS;

    const isVal = u8(parallel, n);
    const classWork = new Float64Array(k);
    const roots = rootSpace(parallel, layout, binned.zeroBin, k);
    const waves = parallel.threads > 1 && k >= parallel.threads ? waveSpace(parallel, binned, layout, gbin, gAll, hAll, scores, expScores, n, k, nTrain, growParams) : null;
    if (valRows) for (const r of valRows) isVal[r] = 1;
    // Losses of the current model fall out of the gradient pass (same softmax), so
    // round r reports and early-stops on the model as it was after round r - 1.
    let trainLoss = 0;
    let validationLoss: number | undefined;
    const computeGradients = () => {
      parallel.run('gbdt.gradients', { scores, expScores, magnitude, y: yArr, isVal, g: gAll, h: hAll, n, k, losses }, gradientsKernel);
      let tl = 0;
      let vl = 0;
      for (let t = 0; t < parallel.threads; t++) {
        tl += losses[2 * t]!;
        vl += losses[2 * t + 1]!;
      }
      trainLoss = tl / nTrain;
      validationLoss = valRows ? vl / valRows.length : valScores && valY ? crossEntropy(valScores, valY, k) : undefined;
    };
    const stopHere = (round: number) => {
      // round = number of rounds in the model whose losses were just computed.
      if (round > 0) opts.onProgress?.({ iteration: round, totalIterations: p.nEstimators, trainLoss, validationLoss });
      if (validationLoss !== undefined) {
        if (validationLoss < best.loss - 1e-7) best = { loss: validationLoss, iteration: round };
        else if (round - best.iteration >= p.nIterNoChange) return true;
      } else best = { loss: trainLoss, iteration: round };
      return false;
    };

    for (let round = 0; round < p.nEstimators; round++) {
      throwIfAborted(opts.signal);
      computeGradients();
      if (stopHere(round)) break;
      // Which rows this round's trees see: all, a random subsample, or GOSS — every
      // large-gradient row plus a reweighted random share of the rest.
      let sampled = nTrain;
      if (!useGoss) rows.set(trainRows); // GOSS writes its sample into rows itself
      if (useGoss) {
        const cut = quantileOf(magnitude, sharedTrainRows, 1 - p.gossTop, rng);
        // Each thread samples its share of the rows with its own stream (seed, round, thread),
        // in place; the shares are then moved together (they stay in row order).
        parallel.run('gbdt.goss', {
          rows, trainRows: sharedTrainRows, magnitude, g: gAll, h: hAll, n, k, cut, counts: gossCounts,
          keepOther: p.gossOther / (1 - p.gossTop), amplify: (1 - p.gossTop) / p.gossOther, seed: (Math.imul(p.seed, 0x9e3779b1) ^ Math.imul(round + 1, 0x85ebca6b)) >>> 0,
        }, gossKernel);
        sampled = 0;
        for (let t = 0; t < parallel.threads; t++) {
          const [from] = rangeOf(nTrain, t, parallel.threads);
          if (from !== sampled) rows.copyWithin(sampled, from, from + gossCounts[t]!);
          sampled += gossCounts[t]!;
        }
      } else if (p.subsample < 1) {
        sampled = Math.max(1, Math.floor(nTrain * p.subsample));
        rng.shuffle(rows);
        rows.subarray(0, sampled).sort();
      }
      if (!binned.columns) {
        inSample.fill(0);
        for (let i = 0; i < sampled; i++) inSample[rows[i]!] = 1;
      }
      // Column subsets in class order (one random stream, whatever the thread count).
      const featureSets = Array.from({ length: k }, () => (p.colsampleBytree < 1 ? rng.sample(d, Math.max(1, Math.round(d * p.colsampleBytree))).sort() : allFeatures));
      const walkAll = !!binned.columns;
      const grownTrees: GrownTree[] = new Array(k);
      // A round's class trees are independent: with T threads, T of them grow at
      // once (one per thread, each serial); the rest grow one at a time over all
      // threads. Which is which follows each class's cost last round (rows
      // scanned, so deterministic): the costliest are shared, similar ones paired.
      // The k root histograms in one pass over the sample (see buildRootHistograms).
      const rootSums = buildRootHistograms(binned, gbin, rows, sampled, gAll, hAll, n, k, needsCounts(growParams), roots, parallel);
      const rootSize = 3 * layout.totalBins;
      const rootOf = (c: number) => ({ hist: roots.out.subarray(c * rootSize, (c + 1) * rootSize), G: rootSums.G[c]!, H: rootSums.H[c]! });
      const byCost = Array.from({ length: k }, (_, c) => c).sort((a, b) => classWork[b]! - classWork[a]! || a - b);
      const shared = waves ? byCost.slice(0, k % parallel.threads) : byCost;
      for (let w = shared.length; w < k; w += parallel.threads) {
        const classes = byCost.slice(w, w + parallel.threads);
        parallel.run('gbdt.growTrees', { ...waves!, classes, sample: rows, sampled, roots: roots.out, rootG: rootSums.G, rootH: rootSums.H, features: featureSets.flatMap((f) => Array.from(f)), featureStart: featureStart(featureSets) }, growTreesKernel);
        classes.forEach((c, t) => (grownTrees[c] = waveTree(waves!, t)));
      }
      for (const c of shared) {
        treeRows.set(rows.subarray(0, sampled));
        // With the column-major bins, every row is scored by walking the new tree
        // (over threads); otherwise the grower hands over each leaf's rows.
        grownTrees[c] = growTree(binned, layout, treeRows, sampled, gs[c]!, hs[c]!, featureSets[c]!, growParams, walkAll ? ignoreLeaf : function addLeaf(leafRows, from, to, v) {
          const ev = Math.exp(v);
          for (let i = from; i < to; i++) {
            scores[leafRows[i]! * k + c]! += v;
            expScores[leafRows[i]! * k + c]! *= ev;
          }
        }, gbin, pool, parallel, space, rootOf(c));
      }
      grownTrees.forEach((grown, c) => (classWork[c] = grown.work));
      const roundTrees = grownTrees.map((grown) => {
        for (let node = 0; node < grown.feature.length; node++) if (grown.left[node]! >= 0) importance[grown.feature[node]!]! += grown.gain[node]!;
        return compileTree(grown, bins);
      });
      trees.push(...roundTrees);
      if (walkAll) {
        for (const t of roundTrees) for (let node = 0; node < t.left.length; node++) if (t.left[node]! >= 0 && t.right[node] !== t.left[node]! + 1) throw new Error('gbdt: a right child must follow its left child');
        const cat = (key: 'feature' | 'bin' | 'left' | 'right' | 'value') => roundTrees.flatMap((t) => t[key]);
        parallel.run('gbdt.scoreRows', { scores, expScores, columns: binned.columns!, n, k, start: featureStart(roundTrees.map((t) => t.feature)), feature: cat('feature'), bin: cat('bin'), left: cat('left'), right: cat('right'), value: cat('value') }, scoreRowsKernel);
      }
      roundTrees.forEach((tree, c) => {
        // Rows the tree did not see (not sampled, validation) are scored by walking it.
        if (!walkAll && sampled < n) {
          for (let i = 0; i < n; i++) {
            if (inSample[i]) continue;
            const v = predictRawInto(tree, binned, i);
            scores[i * k + c]! += v;
            expScores[i * k + c]! *= Math.exp(v);
          }
        }
        if (valX && valScores) this.scoreMatrixInto(tree, valX, valScores, k, c);
      });
      if (round === p.nEstimators - 1) {
        computeGradients();
        stopHere(round + 1);
      }
    }
    this.trees = trees.slice(0, best.iteration * k);
    this.packed = null;
    this.sharedPacked = null;
    this.bestIteration = best.iteration;
    this.classes = k;
    this.features = d;
    this.importance = importance;
  }

  private scoreMatrixInto(tree: CompiledTree, X: Matrix, out: Float64Array, k: number, c: number) {
    const row = new Float32Array(X.cols);
    for (let i = 0; i < X.rows; i++) {
      denseRow(X, i, row);
      out[i * k + c]! += predictDense(tree, row);
      clearRow(X, i, row);
    }
  }

  predictProba(X: Matrix, parallel?: Parallel): Float32Array {
    if (X.cols !== this.features) throw new MlError('INVALID_DATA', `X has ${X.cols} features, the model was fitted on ${this.features}`);
    assertFinite(X);
    const k = this.classes;
    // Large sparse batches are split over threads; one basket stays on the caller.
    if (parallel && parallel.threads > 1 && X.kind === 'csr' && X.rows >= 4096) {
      this.sharedPacked ??= new PackedForest(this.trees, parallel);
      const f = this.sharedPacked;
      const scores = f64(parallel, X.rows * k);
      for (let i = 0; i < X.rows; i++) for (let c = 0; c < k; c++) scores[i * k + c] = this.baseScore[c]!;
      parallel.run('gbdt.forestScores', {
        indptr: parallel.share(X.indptr), indices: parallel.share(X.indices), values: parallel.share(X.values), cols: X.cols, scores, k,
        roots: f.roots, nodes: f.nodes, leaves: f.leaves, deltaBits: f.deltaBits,
      }, forestScoresKernel);
      softmaxInPlace(scores, k);
      return Float32Array.from(scores);
    }
    const scores = new Float64Array(X.rows * k);
    const row = new Float32Array(X.cols);
    this.packed ??= new PackedForest(this.trees);
    for (let i = 0; i < X.rows; i++) {
      denseRow(X, i, row);
      for (let c = 0; c < k; c++) scores[i * k + c] = this.baseScore[c]!;
      this.packed.accumulate(row, scores, i * k, k);
      clearRow(X, i, row);
    }
    softmaxInPlace(scores, k);
    return Float32Array.from(scores);
  }

  featureImportance(): Float64Array {
    const total = this.importance.reduce((a, b) => a + b, 0) || 1;
    return this.importance.map((v) => v / total);
  }

  info() {
    return { trees: this.trees.length, bestIteration: this.bestIteration };
  }

  toJSON(): State {
    return { kind: 'gbdt', params: this.params, classes: this.classes, features: this.features, baseScore: this.baseScore, trees: this.trees, bestIteration: this.bestIteration, importance: Array.from(this.importance) };
  }

  static fromJSON(state: State): GradientBoostingClassifier {
    const model = new GradientBoostingClassifier(state.params);
    model.trees = state.trees;
    model.baseScore = state.baseScore;
    model.classes = state.classes;
    model.features = state.features;
    model.bestIteration = state.bestIteration;
    model.importance = Float64Array.from(state.importance);
    return model;
  }
}

/** The q-quantile of values, estimated from a sample of at most 20,000 (enough for a sampling cut). */
function quantileOf(values: Float32Array, rows: Int32Array, q: number, rng: Rng): number {
  const m = Math.min(rows.length, 20_000);
  const sample = new Float32Array(m);
  // A systematic sample (every (n/m)-th row from a random start): memory is read in order.
  const step = rows.length / m;
  const start = rng.next() * step;
  for (let i = 0; i < m; i++) sample[i] = values[rows[Math.min(rows.length - 1, Math.floor(start + i * step))]!]!;
  return kthSmallest(sample, Math.min(m - 1, Math.max(0, Math.floor(m * q))));
}

/** The k-th smallest value (0-based) of a — what sorting a and reading a[k] gives — by quickselect (reorders a). */
export function kthSmallest(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot; Hoare partition.
    const mid = (lo + hi) >> 1;
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Row i of X into a dense buffer (which the caller zeroes again for CSR). */
export function denseRow(X: Matrix, i: number, out: Float32Array) {
  if (X.kind === 'dense') out.set(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  else for (let q = X.indptr[i]!; q < X.indptr[i + 1]!; q++) out[X.indices[q]!] = X.values[q]!;
}

export function clearRow(X: Matrix, i: number, out: Float32Array) {
  if (X.kind === 'csr') for (let q = X.indptr[i]!; q < X.indptr[i + 1]!; q++) out[X.indices[q]!] = 0;
}

export function predictDense(tree: CompiledTree, row: Float32Array): number {
  let node = 0;
  while (tree.left[node]! >= 0) node = row[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return tree.value[node]!;
}


/**
 * Kernel: softmax gradients and hessians of the thread's rows, their gradient
 * magnitudes Σ_c |g_c| (for GOSS), and their train/validation loss sums. Probabilities come from `expScores` (each row's
 * exp(score) up to a common factor, kept up to date by multiplying in exp(leaf
 * value) as trees are added), so a row costs one logarithm and no exponentials.
 * When a row's factors drift out of a safe range, they are recomputed from the
 * scores exactly.
 */
export const gradientsKernel: Kernel = function gradientsKernel(args, thread, threads) {
  const scores = args.scores as Float64Array;
  const E = args.expScores as Float64Array;
  const magnitude = args.magnitude as Float32Array;
  const y = args.y as Int32Array;
  const isVal = args.isVal as Uint8Array;
  const g = args.g as Float32Array;
  const h = args.h as Float32Array;
  const n = args.n as number;
  const k = args.k as number;
  const [from, to] = rangeOf(n, thread, threads);
  let tl = 0;
  let vl = 0;
  if (k === 3) {
    // The product's case, unrolled: three classes, no inner loops.
    const g1 = n, g2 = 2 * n;
    for (let i = from; i < to; i++) {
      const o = 3 * i;
      const yi = y[i]!;
      let e0 = E[o]!, e1 = E[o + 1]!, e2 = E[o + 2]!;
      let sum = e0 + e1 + e2;
      let ey = yi === 0 ? e0 : yi === 1 ? e1 : e2;
      if (!(sum < 1e100 && sum > 1e-100 && ey > 1e-250)) {
        refresh(scores, E, o, 3);
        e0 = E[o]!;
        e1 = E[o + 1]!;
        e2 = E[o + 2]!;
        sum = e0 + e1 + e2;
        ey = yi === 0 ? e0 : yi === 1 ? e1 : e2;
      }
      const nll = Math.log(sum / ey);
      if (isVal[i]) vl += nll;
      else tl += nll;
      const inv = 1 / sum;
      const p0 = e0 * inv, p1 = e1 * inv, p2 = e2 * inv;
      // |p − onehot| summed over classes is 2·(1 − p_y).
      const py = yi === 0 ? p0 : yi === 1 ? p1 : p2;
      magnitude[i] = 2 * (1 - py);
      g[i] = yi === 0 ? p0 - 1 : p0;
      g[g1 + i] = yi === 1 ? p1 - 1 : p1;
      g[g2 + i] = yi === 2 ? p2 - 1 : p2;
      const h0 = p0 * (1 - p0), h1 = p1 * (1 - p1), h2 = p2 * (1 - p2);
      h[i] = h0 > 1e-6 ? h0 : 1e-6;
      h[g1 + i] = h1 > 1e-6 ? h1 : 1e-6;
      h[g2 + i] = h2 > 1e-6 ? h2 : 1e-6;
    }
  } else {
    for (let i = from; i < to; i++) {
      const o = i * k;
      const yi = y[i]!;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += E[o + c]!;
      if (!(sum < 1e100 && sum > 1e-100 && E[o + yi]! > 1e-250)) {
        refresh(scores, E, o, k);
        sum = 0;
        for (let c = 0; c < k; c++) sum += E[o + c]!;
      }
      const nll = Math.log(sum / E[o + yi]!);
      if (isVal[i]) vl += nll;
      else tl += nll;
      let m = 0;
      for (let c = 0; c < k; c++) {
        const pc = E[o + c]! / sum;
        const gc = pc - (yi === c ? 1 : 0);
        g[c * n + i] = gc;
        m += Math.abs(gc);
        h[c * n + i] = Math.max(pc * (1 - pc), 1e-6);
      }
      magnitude[i] = m;
    }
  }
  const losses = args.losses as Float64Array;
  losses[2 * thread] = tl;
  losses[2 * thread + 1] = vl;
};

/** A row's exp-scores recomputed from its scores: exp(score − max), so the largest is 1. */
function refresh(scores: Float64Array, E: Float64Array, o: number, k: number) {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, scores[o + c]!);
  for (let c = 0; c < k; c++) E[o + c] = Math.exp(scores[o + c]! - max);
}

function ignoreLeaf() {}

/**
 * Kernel: adds a round's trees to the thread's rows' scores (walking binned
 * columns). Tree c's nodes are [start[c], start[c + 1]) of the concatenated arrays.
 */
export const scoreRowsKernel: Kernel = function scoreRowsKernel(args, thread, threads) {
  const scores = args.scores as Float64Array;
  const columns = args.columns as Uint8Array;
  const n = args.n as number;
  const k = args.k as number;
  const start = args.start as number[];
  const feature = Int32Array.from(args.feature as number[]);
  const bin = Int32Array.from(args.bin as number[]);
  const left = Int32Array.from(args.left as number[]);
  const value = Float64Array.from(args.value as number[]);
  const E = args.expScores as Float64Array;
  const expValue = value.map(Math.exp);
  const [from, to] = rangeOf(n, thread, threads);
  for (let c = 0; c < start.length - 1; c++) {
    const root = start[c]!;
    for (let i = from; i < to; i++) {
      let node = root;
      // The grower makes a node's right child its left child + 1, so the step is
      // branch-free: + 1 exactly when the row's bin is above the split's.
      while (left[node]! >= 0) node = root + left[node]! + ((bin[node]! - columns[feature[node]! * n + i]!) >>> 31);
      scores[i * k + c]! += value[node]!;
      E[i * k + c]! *= expValue[node]!;
    }
  }
};

/** Offsets of consecutive lists in their concatenation. */
function featureStart(lists: ArrayLike<number>[]): number[] {
  const start = [0];
  for (const list of lists) start.push(start[start.length - 1]! + list.length);
  return start;
}

type WaveSpace = ReturnType<typeof waveSpace>;

/** The fixed arguments of the gbdt.growTrees kernel, and its output arrays (shared). */
function waveSpace(parallel: Parallel, X: BinnedMatrix, layout: HistogramLayout, gbin: Uint16Array | Int32Array, g: Float32Array, h: Float32Array, scores: Float64Array, expScores: Float64Array, n: number, k: number, nTrain: number, p: GrowParams) {
  const m = maxNodes(p) * parallel.threads;
  return {
    rows: n, cols: X.cols, indptr: X.indptr, // Rows are partitioned by the column-major bins when there are some, else by searching the sparse ones.
    indices: X.columns ? new Int32Array(0) : parallel.share(X.indices), bins: X.columns ? new Uint8Array(0) : parallel.share(X.bins), zeroBin: parallel.share(X.zeroBin), columns: X.columns ?? null,
    counts: parallel.share(layout.counts), gbin, g, h, scores, expScores, k, nTrain, treeRows: i32(parallel, nTrain * parallel.threads),
    maxDepth: p.maxDepth, maxLeaves: p.maxLeaves, growth: p.growth, lambda: p.lambda, gamma: p.gamma, minChildWeight: p.minChildWeight, minSamplesLeaf: p.minSamplesLeaf, learningRate: p.learningRate,
    outFeature: i32(parallel, m), outBin: i32(parallel, m), outLeft: i32(parallel, m), outRight: i32(parallel, m), outValue: f32(parallel, m), outGain: f32(parallel, m), outNodes: i32(parallel, parallel.threads), outWork: f64(parallel, parallel.threads),
  };
}

/** Thread t's tree from the last gbdt.growTrees run. */
function waveTree(w: WaveSpace, t: number): GrownTree {
  const at = t * (2 * Math.max(1, w.maxLeaves) - 1);
  const end = at + w.outNodes[t]!;
  return { feature: w.outFeature.slice(at, end), bin: w.outBin.slice(at, end), left: w.outLeft.slice(at, end), right: w.outRight.slice(at, end), value: w.outValue.slice(at, end), gain: w.outGain.slice(at, end), work: w.outWork[t]! };
}

/** Kernel: GOSS over the thread's share of the training rows — keep every large-gradient row, a reweighted random share of the rest. */
export const gossKernel: Kernel = function gossKernel(args, thread, threads) {
  const rows = args.rows as Int32Array;
  const trainRows = args.trainRows as Int32Array;
  const magnitude = args.magnitude as Float32Array;
  const g = args.g as Float32Array;
  const h = args.h as Float32Array;
  const n = args.n as number;
  const k = args.k as number;
  const cut = args.cut as number;
  const keepOther = args.keepOther as number;
  const amplify = args.amplify as number;
  const rng = new Rng(((args.seed as number) ^ Math.imul(thread + 1, 0xc2b2ae35)) >>> 0);
  const [from, to] = rangeOf(trainRows.length, thread, threads);
  let at = from;
  for (let i = from; i < to; i++) {
    const r = trainRows[i]!;
    if (magnitude[r]! > cut) rows[at++] = r;
    else if (rng.next() < keepOther) {
      rows[at++] = r;
      for (let c = 0; c < k; c++) {
        g[c * n + r]! *= amplify;
        h[c * n + r]! *= amplify;
      }
    }
  }
  (args.counts as Int32Array)[thread] = at - from;
};
