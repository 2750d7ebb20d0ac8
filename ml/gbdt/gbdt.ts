import { binMatrix, fitBins } from '../core/binning';
import { MlError, throwIfAborted } from '../core/errors';
import { assertFinite, assertTrainingSet, type Matrix } from '../core/matrix';
import { Rng } from '../core/random';
import { expNonPositive, logOneToFour } from '../core/fast-math';
import { f32, f64, i32, rangeOf, SERIAL, u8, type Kernel, type Parallel } from '../core/parallel';
import type { Classifier, FitOptions } from '../estimator';
import { growTree, type GrowParams } from './grower';
import { globalBins, histogramLayout } from './histogram';
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
    const magnitude = f32(parallel, nTrain);
    const sharedTrainRows = parallel.share(trainRows);
    const useGoss = p.sampling === 'goss' && nTrain >= GOSS_MIN_ROWS;

    const isVal = u8(parallel, n);
    if (valRows) for (const r of valRows) isVal[r] = 1;
    // Losses of the current model fall out of the gradient pass (same softmax), so
    // round r reports and early-stops on the model as it was after round r - 1.
    let trainLoss = 0;
    let validationLoss: number | undefined;
    const computeGradients = () => {
      parallel.run('gbdt.gradients', { scores, y: yArr, isVal, g: gAll, h: hAll, n, k, losses }, gradientsKernel);
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
        parallel.run('gbdt.magnitude', { g: gAll, rows: sharedTrainRows, magnitude, n, k }, magnitudeKernel);
        const cut = quantileOf(magnitude, 1 - p.gossTop, rng);
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
      for (let c = 0; c < k; c++) {
        const features = p.colsampleBytree < 1 ? rng.sample(d, Math.max(1, Math.round(d * p.colsampleBytree))).sort() : allFeatures;
        treeRows.set(rows.subarray(0, sampled));
        // With the column-major bins, every row is scored by walking the new tree
        // (over threads); otherwise the grower hands over each leaf's rows.
        const walkAll = !!binned.columns;
        const grown = growTree(binned, layout, treeRows, sampled, gs[c]!, hs[c]!, features, growParams, walkAll ? ignoreLeaf : function addLeaf(leafRows, from, to, v) {
          for (let i = from; i < to; i++) scores[leafRows[i]! * k + c]! += v;
        }, gbin, pool, parallel, space);
        for (let node = 0; node < grown.feature.length; node++) if (grown.left[node]! >= 0) importance[grown.feature[node]!]! += grown.gain[node]!;
        const tree = compileTree(grown, bins);
        trees.push(tree);
        if (walkAll) parallel.run('gbdt.scoreRows', { scores, columns: binned.columns!, n, k, c, feature: tree.feature, bin: tree.bin, left: tree.left, right: tree.right, value: tree.value }, scoreRowsKernel);
        // Rows the tree did not see (not sampled, validation) are scored by walking it.
        else if (sampled < n) for (let i = 0; i < n; i++) if (!inSample[i]) scores[i * k + c]! += predictRawInto(tree, binned, i);
        if (valX && valScores) this.scoreMatrixInto(tree, valX, valScores, k, c);
      }
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
        roots: f.roots, nodes: f.nodes, value: f.value,
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
function quantileOf(values: Float32Array, q: number, rng: Rng): number {
  const m = Math.min(values.length, 20_000);
  const sample = new Float32Array(m);
  for (let i = 0; i < m; i++) sample[i] = values.length > m ? values[rng.int(values.length)]! : values[i]!;
  sample.sort();
  return sample[Math.min(m - 1, Math.max(0, Math.floor(m * q)))]!;
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


/** Kernel: softmax gradients and hessians of the thread's rows, and their train/validation loss sums. */
export const gradientsKernel: Kernel = function gradientsKernel(args, thread, threads) {
  const scores = args.scores as Float64Array;
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
      const z0 = scores[o]!, z1 = scores[o + 1]!, z2 = scores[o + 2]!;
      const max = z0 > z1 ? (z0 > z2 ? z0 : z2) : z1 > z2 ? z1 : z2;
      // exp(0) = 1 for the largest score: two exponentials per row, not three.
      const e0 = z0 === max ? 1 : expNonPositive(z0 - max), e1 = z1 === max ? 1 : expNonPositive(z1 - max), e2 = z2 === max ? 1 : expNonPositive(z2 - max);
      const sum = e0 + e1 + e2;
      const yi = y[i]!;
      const nll = max + logOneToFour(sum) - (yi === 0 ? z0 : yi === 1 ? z1 : z2);
      if (isVal[i]) vl += nll;
      else tl += nll;
      const inv = 1 / sum;
      const p0 = e0 * inv, p1 = e1 * inv, p2 = e2 * inv;
      g[i] = yi === 0 ? p0 - 1 : p0;
      g[g1 + i] = yi === 1 ? p1 - 1 : p1;
      g[g2 + i] = yi === 2 ? p2 - 1 : p2;
      const h0 = p0 * (1 - p0), h1 = p1 * (1 - p1), h2 = p2 * (1 - p2);
      h[i] = h0 > 1e-6 ? h0 : 1e-6;
      h[g1 + i] = h1 > 1e-6 ? h1 : 1e-6;
      h[g2 + i] = h2 > 1e-6 ? h2 : 1e-6;
    }
  } else {
    const e = new Float64Array(k);
    for (let i = from; i < to; i++) {
      const o = i * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, scores[o + c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) {
        e[c] = Math.exp(scores[o + c]! - max);
        sum += e[c]!;
      }
      const yi = y[i]!;
      const nll = max + Math.log(sum) - scores[o + yi]!;
      if (isVal[i]) vl += nll;
      else tl += nll;
      for (let c = 0; c < k; c++) {
        const pc = e[c]! / sum;
        g[c * n + i] = pc - (yi === c ? 1 : 0);
        h[c * n + i] = Math.max(pc * (1 - pc), 1e-6);
      }
    }
  }
  const losses = args.losses as Float64Array;
  losses[2 * thread] = tl;
  losses[2 * thread + 1] = vl;
};

function ignoreLeaf() {}

/** Kernel: adds a new tree's output to the thread's rows' scores (walking binned columns). */
export const scoreRowsKernel: Kernel = function scoreRowsKernel(args, thread, threads) {
  const scores = args.scores as Float64Array;
  const columns = args.columns as Uint8Array;
  const n = args.n as number;
  const k = args.k as number;
  const c = args.c as number;
  const feature = args.feature as number[];
  const bin = args.bin as number[];
  const left = args.left as number[];
  const right = args.right as number[];
  const value = args.value as number[];
  const [from, to] = rangeOf(n, thread, threads);
  for (let i = from; i < to; i++) {
    let node = 0;
    while (left[node]! >= 0) node = columns[feature[node]! * n + i]! <= bin[node]! ? left[node]! : right[node]!;
    scores[i * k + c]! += value[node]!;
  }
};

/** Kernel: Σ_c |gradient| of the thread's share of the training rows (GOSS ranks rows by it). */
export const magnitudeKernel: Kernel = function magnitudeKernel(args, thread, threads) {
  const g = args.g as Float32Array;
  const rows = args.rows as Int32Array;
  const magnitude = args.magnitude as Float32Array;
  const n = args.n as number;
  const k = args.k as number;
  const [from, to] = rangeOf(rows.length, thread, threads);
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    let m = 0;
    for (let c = 0; c < k; c++) m += Math.abs(g[c * n + r]!);
    magnitude[i] = m;
  }
};

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
    if (magnitude[i]! > cut) rows[at++] = r;
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
