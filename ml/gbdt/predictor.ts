import type { BinnedMatrix, FeatureBins } from '../core/binning';
import type { GrownTree } from './grower';
import { f64, i32, rangeOf, SERIAL, type Kernel, type Parallel } from '../core/parallel';
import { rowBin } from './grower';

/**
 * A trained tree as flat arrays, separate from the training-time nodes: compact
 * to serialise, fast to walk. Splits are on raw feature values (the bin's upper
 * edge), so prediction needs no binning.
 */
export type CompiledTree = {
  feature: number[];
  /** x ≤ threshold goes left. */
  threshold: number[];
  /** Bin index of the split (for scoring already-binned training rows). */
  bin: number[];
  left: number[];
  right: number[];
  value: number[];
};

export function compileTree(tree: GrownTree, bins: FeatureBins): CompiledTree {
  const n = tree.feature.length;
  const threshold = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) if (tree.left[i]! >= 0) threshold[i] = bins.upper[tree.feature[i]!]![tree.bin[i]!]!;
  return {
    feature: Array.from(tree.feature),
    threshold,
    bin: Array.from(tree.bin),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
  };
}

export function predictRawInto(tree: CompiledTree, X: BinnedMatrix, row: number): number {
  let node = 0;
  while (tree.left[node]! >= 0) node = rowBin(X, row, tree.feature[node]!) <= tree.bin[node]! ? tree.left[node]! : tree.right[node]!;
  return tree.value[node]!;
}

/**
 * All trees of a model packed into flat typed arrays (absolute node indices),
 * built once per loaded model: the serving hot path walks these instead of the
 * per-tree JSON arrays, which keeps single-basket prediction in microseconds.
 */
export class PackedForest {
  readonly roots: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;

  /** Arrays from `parallel` when given, so worker threads can walk the same forest. */
  constructor(trees: CompiledTree[], parallel: Parallel = SERIAL) {
    const total = trees.reduce((n, t) => n + t.feature.length, 0);
    this.roots = i32(parallel, trees.length);
    this.feature = i32(parallel, total);
    this.threshold = f64(parallel, total);
    this.left = i32(parallel, total);
    this.right = i32(parallel, total);
    this.value = f64(parallel, total);
    let at = 0;
    trees.forEach((tree, t) => {
      this.roots[t] = at;
      for (let i = 0; i < tree.feature.length; i++) {
        const leaf = tree.left[i]! < 0;
        this.feature[at + i] = leaf ? -1 : tree.feature[i]!;
        this.threshold[at + i] = tree.threshold[i]!;
        this.left[at + i] = leaf ? -1 : at + tree.left[i]!;
        this.right[at + i] = leaf ? -1 : at + tree.right[i]!;
        this.value[at + i] = tree.value[i]!;
      }
      at += tree.feature.length;
    });
  }

  get size() {
    return this.roots.length;
  }

  /** Adds tree t's leaf value to scores[offset + t % k] for every tree. */
  accumulate(row: Float32Array, scores: Float64Array, offset: number, k: number) {
    accumulateForest(this.roots, this.feature, this.threshold, this.left, this.right, this.value, row, scores, offset, k);
  }
}

function accumulateForest(roots: Int32Array, feature: Int32Array, threshold: Float64Array, left: Int32Array, right: Int32Array, value: Float64Array, row: Float32Array, scores: Float64Array, offset: number, k: number) {
  const n = roots.length;
  for (let t = 0, c = 0; t < n; t++, c = c + 1 === k ? 0 : c + 1) {
    let node = roots[t]!;
    let f = feature[node]!;
    while (f >= 0) {
      node = row[f]! <= threshold[node]! ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    scores[offset + c]! += value[node]!;
  }
}

/** Kernel: raw scores of the thread's rows of a CSR matrix (base scores already in `scores`). */
export const forestScoresKernel: Kernel = function forestScoresKernel(args, thread, threads) {
  const indptr = args.indptr as Int32Array;
  const indices = args.indices as Int32Array;
  const values = args.values as Float32Array;
  const scores = args.scores as Float64Array;
  const k = args.k as number;
  const row = new Float32Array(args.cols as number);
  const [from, to] = rangeOf(indptr.length - 1, thread, threads);
  for (let i = from; i < to; i++) {
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) row[indices[p]!] = values[p]!;
    accumulateForest(args.roots as Int32Array, args.feature as Int32Array, args.threshold as Float64Array, args.left as Int32Array, args.right as Int32Array, args.value as Float64Array, row, scores, i * k, k);
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) row[indices[p]!] = 0;
  }
};
