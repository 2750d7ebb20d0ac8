import type { BinnedMatrix } from '../core/binning';
import { f64, rangeOf, SERIAL, type Kernel, type Parallel } from '../core/parallel';

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

/**
 * The non-zero entries of rows[from..to) into out (cleared first); returns ΣG, ΣH.
 * Row counts per bin only when `counted` (a minimum leaf size needs them): the
 * loop without them is ~15 % faster.
 */
function accumulate(indptr: Int32Array, gbin: Uint16Array | Int32Array, rows: Int32Array, from: number, to: number, g: Float32Array, h: Float32Array, out: Float64Array, counted: boolean): [number, number] {
  out.fill(0);
  let G = 0, H = 0;
  if (counted) {
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
  } else {
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
      }
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
  const [G, H] = accumulate(args.indptr as Int32Array, args.gbin as Uint16Array, args.rows as Int32Array, from + a, from + b, args.g as Float32Array, args.h as Float32Array, out, args.counted as boolean);
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
  gbin = globalBins(X, layout), parallel: Parallel = SERIAL, space?: SharedHistogramSpace, counted = true,
): { G: number; H: number; N: number } {
  const N = to - from;
  // Without counts, the zero bins' counts stay 0 too.
  const zeroN = counted ? N : 0;
  if (parallel.threads > 1 && space && N >= PARALLEL_MIN_ROWS) {
    const size = out.length;
    parallel.run('gbdt.histogram', { indptr: X.indptr, gbin, rows, from, to, g, h, size, out, outs: space.outs, totals: space.totals, counted }, histogramKernel);
    let G = 0, H = 0;
    for (let t = 0; t < parallel.threads; t++) {
      G += space.totals[2 * t]!;
      H += space.totals[2 * t + 1]!;
    }
    parallel.run('gbdt.histogramFinish', { offsets: space.offsets, zeroBin: space.zeroBin, out, outs: space.outs, size, G, H, N: zeroN }, histogramFinishKernel);
    return { G, H, N };
  }
  const [G, H] = accumulate(X.indptr, gbin, rows, from, to, g, h, out, counted);
  fillZeroBins(out, layout.offsets, X.zeroBin, 0, X.cols, G, H, zeroN);
  return { G, H, N };
}

export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array) {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i]! - child[i]!;
}

/**
 * Root histograms of all k class trees of a boosting round in one pass over the
 * sampled rows (they share the rows; only gradients differ): each non-zero entry
 * is loaded once and adds its row's k gradient pairs. The roots are most of the
 * histogram work when trees are shallow.
 */
export type RootSpace = {
  /** threads × totalBins × (2k + 1): per thread, per bin g₀ h₀ … g_{k−1} h_{k−1} n. */
  joint: Float64Array;
  /** threads × 2k partial ΣG, ΣH per class. */
  totals: Float64Array;
  /** k × 3·totalBins: class c's root histogram in the usual layout. */
  out: Float64Array;
  offsets: Int32Array;
  zeroBin: Uint8Array;
};

export function rootSpace(parallel: Parallel, layout: HistogramLayout, zeroBin: Uint8Array, k: number): RootSpace {
  return {
    joint: f64(parallel, parallel.threads * layout.totalBins * (2 * k + 1)),
    totals: f64(parallel, parallel.threads * 2 * k),
    out: f64(parallel, k * 3 * layout.totalBins),
    offsets: parallel.share(layout.offsets),
    zeroBin: parallel.share(zeroBin),
  };
}

/** Builds the k root histograms of rows[0..count) into space.out; returns each class's ΣG, ΣH. */
export function buildRootHistograms(
  X: BinnedMatrix, gbin: Uint16Array | Int32Array, rows: Int32Array, count: number, g: Float32Array, h: Float32Array, n: number, k: number,
  counted: boolean, space: RootSpace, parallel: Parallel = SERIAL,
): { G: number[]; H: number[] } {
  const totalBins = space.offsets[space.offsets.length - 1]!;
  parallel.run('gbdt.rootHistograms', { indptr: X.indptr, gbin, rows, count, g, h, n, k, counted, joint: space.joint, totals: space.totals, totalBins }, rootHistogramsKernel);
  const G = new Array<number>(k).fill(0);
  const H = new Array<number>(k).fill(0);
  for (let t = 0; t < parallel.threads; t++) {
    for (let c = 0; c < k; c++) {
      G[c]! += space.totals[t * 2 * k + 2 * c]!;
      H[c]! += space.totals[t * 2 * k + 2 * c + 1]!;
    }
  }
  parallel.run('gbdt.rootHistogramsFinish', { offsets: space.offsets, zeroBin: space.zeroBin, joint: space.joint, out: space.out, k, G, H, N: counted ? count : 0, totalBins }, rootHistogramsFinishKernel);
  return { G, H };
}

/** Kernel, phase 1: the thread's share of the rows into its joint histogram. */
export const rootHistogramsKernel: Kernel = function rootHistogramsKernel(args, thread, threads) {
  const indptr = args.indptr as Int32Array;
  const gbin = args.gbin as Uint16Array;
  const rows = args.rows as Int32Array;
  const g = args.g as Float32Array;
  const h = args.h as Float32Array;
  const n = args.n as number;
  const k = args.k as number;
  const counted = args.counted as boolean;
  const stride = 2 * k + 1;
  const size = stride * (args.totalBins as number);
  const out = (args.joint as Float64Array).subarray(thread * size, (thread + 1) * size);
  out.fill(0);
  const [from, to] = rangeOf(args.count as number, thread, threads);
  const totals = (args.totals as Float64Array).subarray(thread * 2 * k, (thread + 1) * 2 * k);
  totals.fill(0);
  if (k === 3) {
    // The product's case, unrolled.
    let G0 = 0, H0 = 0, G1 = 0, H1 = 0, G2 = 0, H2 = 0;
    for (let i = from; i < to; i++) {
      const r = rows[i]!;
      const g0 = g[r]!, h0 = h[r]!, g1 = g[n + r]!, h1 = h[n + r]!, g2 = g[2 * n + r]!, h2 = h[2 * n + r]!;
      G0 += g0; H0 += h0; G1 += g1; H1 += h1; G2 += g2; H2 += h2;
      const end = indptr[r + 1]!;
      for (let p = indptr[r]!; p < end; p++) {
        const s = 7 * gbin[p]!;
        out[s]! += g0;
        out[s + 1]! += h0;
        out[s + 2]! += g1;
        out[s + 3]! += h1;
        out[s + 4]! += g2;
        out[s + 5]! += h2;
        if (counted) out[s + 6]!++;
      }
    }
    totals[0] = G0; totals[1] = H0; totals[2] = G1; totals[3] = H1; totals[4] = G2; totals[5] = H2;
    return;
  }
  const gr = new Float64Array(2 * k);
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    for (let c = 0; c < k; c++) {
      gr[2 * c] = g[c * n + r]!;
      gr[2 * c + 1] = h[c * n + r]!;
      totals[2 * c]! += gr[2 * c]!;
      totals[2 * c + 1]! += gr[2 * c + 1]!;
    }
    for (let p = indptr[r]!; p < indptr[r + 1]!; p++) {
      const s = stride * gbin[p]!;
      for (let j = 0; j < 2 * k; j++) out[s + j]! += gr[j]!;
      if (counted) out[s + 2 * k]!++;
    }
  }
};

/** Kernel, phase 2: the thread's features' bins summed over threads into each class's histogram, zero bins filled. */
export const rootHistogramsFinishKernel: Kernel = function rootHistogramsFinishKernel(args, thread, threads) {
  const offsets = args.offsets as Int32Array;
  const joint = args.joint as Float64Array;
  const out = args.out as Float64Array;
  const k = args.k as number;
  const G = args.G as number[];
  const H = args.H as number[];
  const totalBins = args.totalBins as number;
  const stride = 2 * k + 1;
  const size = stride * totalBins;
  const parts = joint.length / size;
  const [fa, fb] = rangeOf(offsets.length - 1, thread, threads);
  for (let c = 0; c < k; c++) {
    const hist = out.subarray(c * 3 * totalBins, (c + 1) * 3 * totalBins);
    for (let b = offsets[fa]!; b < offsets[fb]!; b++) {
      let sg = 0, sh = 0, sn = 0;
      for (let t = 0; t < parts; t++) {
        const s = t * size + b * stride;
        sg += joint[s + 2 * c]!;
        sh += joint[s + 2 * c + 1]!;
        sn += joint[s + 2 * k]!;
      }
      hist[3 * b] = sg;
      hist[3 * b + 1] = sh;
      hist[3 * b + 2] = sn;
    }
    fillZeroBins(hist, offsets, args.zeroBin as Uint8Array, fa, fb, G[c]!, H[c]!, args.N as number);
  }
};
