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
  /** 3 slots per node: feature (-1 = leaf), threshold (float32 bits), first child (the second follows it). */
  readonly nodes: Int32Array;
  readonly value: Float64Array;
  private readonly thresholds: Float32Array;

  /** Arrays from `parallel` when given, so worker threads can walk the same forest. */
  constructor(trees: CompiledTree[], parallel: Parallel = SERIAL) {
    const total = trees.reduce((n, t) => n + t.feature.length, 0);
    this.roots = i32(parallel, trees.length);
    this.nodes = i32(parallel, 3 * total);
    this.value = f64(parallel, total);
    const thresholds = new Float32Array(this.nodes.buffer, this.nodes.byteOffset, this.nodes.length);
    this.thresholds = thresholds;
    let at = 0;
    trees.forEach((tree, t) => {
      // Breadth-first renumbering so that a node's two children sit side by side.
      this.roots[t] = at;
      const order = [0];
      const slot = new Int32Array(tree.feature.length);
      let next = 1;
      for (let q = 0; q < order.length; q++) {
        const i = order[q]!;
        const id = at + q;
        slot[i] = id;
        if (tree.left[i]! < 0) {
          this.nodes[3 * id] = -1;
          this.value[id] = tree.value[i]!;
          continue;
        }
        this.nodes[3 * id] = tree.feature[i]!;
        thresholds[3 * id + 1] = floorFloat32(tree.threshold[i]!);
        this.nodes[3 * id + 2] = at + next;
        order.push(tree.left[i]!, tree.right[i]!);
        next += 2;
      }
      at += order.length;
    });
  }

  get size() {
    return this.roots.length;
  }

  /** Adds tree t's leaf value to scores[offset + t % k] for every tree. */
  accumulate(row: Float32Array, scores: Float64Array, offset: number, k: number) {
    accumulateForest(this.roots, this.nodes, this.thresholds, this.value, row, scores, offset, k);
  }
}

const F32 = new Float32Array(1);
const F32_BITS = new Int32Array(F32.buffer);

/**
 * The largest float32 ≤ x. Features are float32, so for every feature value v:
 * v ≤ x exactly when v ≤ floorFloat32(x) — the split is unchanged.
 */
export function floorFloat32(x: number): number {
  F32[0] = x;
  if (F32[0]! <= x || Number.isNaN(x)) return F32[0]!;
  if (F32[0] === 0) F32_BITS[0] = 0x80000001 | 0; // just below zero
  else F32_BITS[0] = F32_BITS[0]! + (F32[0]! > 0 ? -1 : 1);
  return F32[0]!;
}

function accumulateForest(roots: Int32Array, nodes: Int32Array, thresholds: Float32Array, value: Float64Array, row: Float32Array, scores: Float64Array, offset: number, k: number) {
  const n = roots.length;
  for (let t = 0, c = 0; t < n; t++, c = c + 1 === k ? 0 : c + 1) {
    let node = roots[t]!;
    let f = nodes[3 * node]!;
    while (f >= 0) {
      node = nodes[3 * node + 2]! + (row[f]! <= thresholds[3 * node + 1]! ? 0 : 1);
      f = nodes[3 * node]!;
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
  const roots = args.roots as Int32Array;
  const nodes = args.nodes as Int32Array;
  const thresholds = new Float32Array(nodes.buffer, nodes.byteOffset, nodes.length);
  const value = args.value as Float64Array;
  const [from, to] = rangeOf(indptr.length - 1, thread, threads);
  for (let i = from; i < to; i++) {
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) row[indices[p]!] = values[p]!;
    accumulateForest(roots, nodes, thresholds, value, row, scores, i * k, k);
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) row[indices[p]!] = 0;
  }
};
