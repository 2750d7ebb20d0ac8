import type { BinnedMatrix } from '../core/binning';
import { rangeOf, SERIAL, type Kernel, type Parallel } from '../core/parallel';

/**
 * Gradient histograms: per feature and bin, the sums of gradient, hessian and
 * row count of a node's rows. Sparse-aware: only non-zero entries are visited,
 * the zero bin gets node total − the rest. A sibling's histogram is the
 * parent's minus this one (histogram subtraction), so only the smaller child of
 * each split is ever scanned.
 */
export type HistogramLayout = {
  /** Start of feature f's bins (in bins, not array slots). */
  offsets: Int32Array;
  /** Bins per feature. */
  counts: Uint16Array;
  totalBins: number;
};

export function histogramLayout(counts: Uint16Array): HistogramLayout {
  const offsets = new Int32Array(counts.length + 1);
  for (let f = 0; f < counts.length; f++) offsets[f + 1] = offsets[f]! + counts[f]!;
  return { offsets, counts, totalBins: offsets[counts.length]! };
}

/**
 * Each non-zero entry's position in the concatenated histogram (feature offset +
 * bin), computed once per binned matrix so the hot loop does one load, not three.
 */
export function globalBins(X: BinnedMatrix, layout: HistogramLayout): Uint16Array | Int32Array {
  const out = layout.totalBins <= 65535 ? new Uint16Array(X.bins.length) : new Int32Array(X.bins.length);
  for (let p = 0; p < X.bins.length; p++) out[p] = layout.offsets[X.indices[p]!]! + X.bins[p]!;
  return out;
}

/** The non-zero entries of rows[from..to) into out (cleared first); returns ΣG, ΣH. */
function accumulate(indptr: Int32Array, gbin: Uint16Array | Int32Array, rows: Int32Array, from: number, to: number, g: Float32Array, h: Float32Array, out: Float64Array): [number, number] {
  out.fill(0);
  let G = 0, H = 0;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    const gr = g[r]!;
    const hr = h[r]!;
    G += gr;
    H += hr;
    const end = indptr[r + 1]!;
    for (let p = indptr[r]!; p < end; p++) {
      const slot = 3 * gbin[p]!;
      out[slot]! += gr;
      out[slot + 1]! += hr;
      out[slot + 2]!++;
    }
  }
  return [G, H];
}

/**
 * Kernel, phase 1: each thread accumulates its share of the node's rows — thread
 * 0 straight into the node's (shared) histogram, the others into scratch slices.
 */
export const histogramKernel: Kernel = function histogramKernel(args, thread, threads) {
  const from = args.from as number;
  const to = args.to as number;
  const size = args.size as number;
  const [a, b] = rangeOf(to - from, thread, threads);
  const out = thread === 0 ? (args.out as Float64Array) : (args.outs as Float64Array).subarray((thread - 1) * size, thread * size);
  const [G, H] = accumulate(args.indptr as Int32Array, args.gbin as Uint16Array, args.rows as Int32Array, from + a, from + b, args.g as Float32Array, args.h as Float32Array, out);
  (args.totals as Float64Array)[2 * thread] = G;
  (args.totals as Float64Array)[2 * thread + 1] = H;
};

/** Kernel, phase 2: each thread folds the scratch slices into its features' bins and fills their zero bins. */
export const histogramFinishKernel: Kernel = function histogramFinishKernel(args, thread, threads) {
  const offsets = args.offsets as Int32Array;
  const features = offsets.length - 1;
  const [fa, fb] = rangeOf(features, thread, threads);
  const out = args.out as Float64Array;
  const outs = args.outs as Float64Array;
  const size = args.size as number;
  const lo = 3 * offsets[fa]!;
  const hi = 3 * offsets[fb]!;
  for (let t = 1; t < threads; t++) {
    const base = (t - 1) * size;
    for (let i = lo; i < hi; i++) out[i]! += outs[base + i]!;
  }
  fillZeroBins(out, offsets, args.zeroBin as Uint8Array, fa, fb, args.G as number, args.H as number, args.N as number);
};

/** Zero bins: whatever the non-zero entries did not account for. */
function fillZeroBins(out: Float64Array, offsets: Int32Array, zeroBin: Uint8Array, fa: number, fb: number, G: number, H: number, N: number) {
  for (let f = fa; f < fb; f++) {
    let sg = 0, sh = 0, sn = 0;
    const start = offsets[f]!;
    const end = offsets[f + 1]!;
    for (let b = start; b < end; b++) {
      sg += out[3 * b]!;
      sh += out[3 * b + 1]!;
      sn += out[3 * b + 2]!;
    }
    const z = 3 * (start + zeroBin[f]!);
    out[z]! += G - sg;
    out[z + 1]! += H - sh;
    out[z + 2]! += N - sn;
  }
}

/** Nodes with fewer rows than this are not worth waking the other threads for. */
const PARALLEL_MIN_ROWS = 8_192;

/** Scratch for threads 1.. (threads − 1 histograms) and their totals, in shared memory. */
export type SharedHistogramSpace = { outs: Float64Array; totals: Float64Array; offsets: Int32Array; zeroBin: Uint8Array };

/**
 * hist[3·(offset[f] + bin) + {0: g, 1: h, 2: n}]. With threads, `out` must be
 * shared memory (the grower takes its histograms from parallel.alloc).
 */
export function buildHistogram(
  X: BinnedMatrix, layout: HistogramLayout, rows: Int32Array, from: number, to: number, g: Float32Array, h: Float32Array, out: Float64Array,
  gbin = globalBins(X, layout), parallel: Parallel = SERIAL, space?: SharedHistogramSpace,
): { G: number; H: number; N: number } {
  const N = to - from;
  if (parallel.threads > 1 && space && N >= PARALLEL_MIN_ROWS) {
    const size = out.length;
    parallel.run('gbdt.histogram', { indptr: X.indptr, gbin, rows, from, to, g, h, size, out, outs: space.outs, totals: space.totals }, histogramKernel);
    let G = 0, H = 0;
    for (let t = 0; t < parallel.threads; t++) {
      G += space.totals[2 * t]!;
      H += space.totals[2 * t + 1]!;
    }
    parallel.run('gbdt.histogramFinish', { offsets: space.offsets, zeroBin: space.zeroBin, out, outs: space.outs, size, G, H, N }, histogramFinishKernel);
    return { G, H, N };
  }
  const [G, H] = accumulate(X.indptr, gbin, rows, from, to, g, h, out);
  fillZeroBins(out, layout.offsets, X.zeroBin, 0, X.cols, G, H, N);
  return { G, H, N };
}

export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array) {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i]! - child[i]!;
}
