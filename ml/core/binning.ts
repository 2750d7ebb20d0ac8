import type { Matrix } from './matrix';
import { rangeOf, SERIAL, type Kernel, type Parallel } from './parallel';
import type { Rng } from './random';

/**
 * Quantile binning for histogram-based trees. Each feature gets up to maxBins
 * bins; bin(x) = the first b with x ≤ upper[b] (the last bin is open). Values
 * are stored as bytes, only for non-zero entries: a feature's zero bin is
 * implied, which makes histograms cost O(non-zeros) instead of O(rows × columns).
 */
export type FeatureBins = {
  /** Upper edges, ascending; x ≤ upper[b] falls in bin ≤ b. Length = bins - 1. */
  upper: Float32Array[];
  /** The bin of the value 0 per feature. */
  zeroBin: Uint8Array;
  /** Number of bins per feature. */
  count: Uint16Array;
};

export type BinnedMatrix = {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  bins: Uint8Array;
  zeroBin: Uint8Array;
  /**
   * Column-major copy of every bin (zeros included) when it fits in 256 MB:
   * partitioning rows and scoring them then read one byte instead of searching a row.
   */
  columns?: Uint8Array;
};

const DENSE_LIMIT = 256 * 1024 * 1024;

function withColumns(m: BinnedMatrix): BinnedMatrix {
  if (m.rows * m.cols > DENSE_LIMIT) return m;
  const columns = new Uint8Array(m.rows * m.cols);
  for (let f = 0; f < m.cols; f++) columns.fill(m.zeroBin[f]!, f * m.rows, (f + 1) * m.rows);
  for (let r = 0; r < m.rows; r++) for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) columns[m.indices[p]! * m.rows + r] = m.bins[p]!;
  return { ...m, columns };
}

export function binOf(upper: Float32Array, x: number): number {
  let lo = 0;
  let hi = upper.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= upper[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Learn bin edges from (a sample of) the rows. */
export function fitBins(X: Matrix, maxBins: number, rng: Rng, sampleSize = 200_000): FeatureBins {
  const n = X.rows;
  const rows = n > sampleSize ? rng.sample(n, sampleSize).sort() : Int32Array.from({ length: n }, (_, i) => i);
  const m = rows.length;
  // Non-zero values per feature in typed arrays (numeric sort is native and fast).
  const nonZero = new Int32Array(X.cols);
  const forEachNonZero = (fn: (c: number, v: number) => void) => {
    for (const r of rows) {
      if (X.kind === 'csr') {
        for (let p = X.indptr[r]!; p < X.indptr[r + 1]!; p++) if (X.values[p] !== 0) fn(X.indices[p]!, X.values[p]!);
      } else {
        for (let c = 0; c < X.cols; c++) {
          const v = X.data[r * X.cols + c]!;
          if (v !== 0) fn(c, v);
        }
      }
    }
  };
  forEachNonZero((c) => nonZero[c]!++);
  const values = Array.from({ length: X.cols }, (_, c) => new Float64Array(nonZero[c]!));
  const fill = new Int32Array(X.cols);
  forEachNonZero((c, v) => (values[c]![fill[c]!++] = v));
  const upper: Float32Array[] = [];
  const zeroBin = new Uint8Array(X.cols);
  const count = new Uint16Array(X.cols);
  for (let c = 0; c < X.cols; c++) {
    const sorted = values[c]!.sort();
    const zeros = m - sorted.length;
    // Distinct values with their weights; zero weighs as many rows as hold it.
    const distinct: number[] = [];
    const weight: number[] = [];
    let zeroDone = zeros === 0;
    const add = (v: number, w: number) => {
      if (distinct.length && distinct[distinct.length - 1] === v) weight[weight.length - 1]! += w;
      else {
        distinct.push(v);
        weight.push(w);
      }
    };
    for (let i = 0; i < sorted.length; i++) {
      const v = sorted[i]!;
      if (!zeroDone && v > 0) {
        add(0, zeros);
        zeroDone = true;
      }
      add(v, 1);
    }
    if (!zeroDone) add(0, zeros);
    let edges: number[];
    if (distinct.length <= maxBins) {
      edges = distinct.slice(0, -1).map((v, i) => (v + distinct[i + 1]!) / 2);
    } else {
      const total = weight.reduce((a, b) => a + b, 0);
      edges = [];
      let acc = 0;
      let next = total / maxBins;
      for (let i = 0; i < distinct.length - 1 && edges.length < maxBins - 1; i++) {
        acc += weight[i]!;
        if (acc >= next) {
          edges.push((distinct[i]! + distinct[i + 1]!) / 2);
          next = acc + (total - acc) / (maxBins - edges.length);
        }
      }
    }
    const u = Float32Array.from(edges);
    upper.push(u);
    zeroBin[c] = binOf(u, 0);
    count[c] = u.length + 1;
  }
  return { upper, zeroBin, count };
}

export function binMatrix(X: Matrix, bins: FeatureBins, parallel: Parallel = SERIAL): BinnedMatrix {
  if (X.kind === 'csr') {
    if (parallel.threads > 1 && X.rows * X.cols <= DENSE_LIMIT) {
      // Bins and the column-major copy, row ranges over threads, straight into shared memory.
      const offsets = new Int32Array(X.cols + 1);
      for (let c = 0; c < X.cols; c++) offsets[c + 1] = offsets[c]! + bins.upper[c]!.length;
      const upper = parallel.alloc(Float32Array, 4, offsets[X.cols]!);
      bins.upper.forEach((u, c) => upper.set(u, offsets[c]!));
      const indptr = parallel.share(X.indptr);
      const indices = parallel.share(X.indices);
      const out = parallel.alloc(Uint8Array, 1, X.values.length);
      const columns = parallel.alloc(Uint8Array, 1, X.rows * X.cols);
      const zeroBin = parallel.share(bins.zeroBin);
      parallel.run('core.bin', { indptr, indices, values: parallel.share(X.values), upper, offsets: parallel.share(offsets), zeroBin, bins: out, columns, rows: X.rows, cols: X.cols }, binKernel);
      return { rows: X.rows, cols: X.cols, indptr, indices, bins: out, zeroBin, columns };
    }
    const out = new Uint8Array(X.values.length);
    for (let r = 0; r < X.rows; r++) for (let p = X.indptr[r]!; p < X.indptr[r + 1]!; p++) out[p] = binOf(bins.upper[X.indices[p]!]!, X.values[p]!);
    return withColumns({ rows: X.rows, cols: X.cols, indptr: X.indptr, indices: X.indices, bins: out, zeroBin: bins.zeroBin });
  }
  const indptr = new Int32Array(X.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < X.rows; r++) {
    for (let c = 0; c < X.cols; c++) {
      const v = X.data[r * X.cols + c]!;
      if (v !== 0) {
        indices.push(c);
        values.push(binOf(bins.upper[c]!, v));
      }
    }
    indptr[r + 1] = indices.length;
  }
  return withColumns({ rows: X.rows, cols: X.cols, indptr, indices: Int32Array.from(indices), bins: Uint8Array.from(values), zeroBin: bins.zeroBin });
}

/** Kernel: bins of the thread's rows, and their cells of the column-major copy. */
export const binKernel: Kernel = function binKernel(args, thread, threads) {
  const indptr = args.indptr as Int32Array;
  const indices = args.indices as Int32Array;
  const values = args.values as Float32Array;
  const upper = args.upper as Float32Array;
  const offsets = args.offsets as Int32Array;
  const zeroBin = args.zeroBin as Uint8Array;
  const out = args.bins as Uint8Array;
  const columns = args.columns as Uint8Array;
  const rows = args.rows as number;
  const cols = args.cols as number;
  const [from, to] = rangeOf(rows, thread, threads);
  for (let f = 0; f < cols; f++) columns.fill(zeroBin[f]!, f * rows + from, f * rows + to);
  for (let r = from; r < to; r++) {
    for (let p = indptr[r]!; p < indptr[r + 1]!; p++) {
      const f = indices[p]!;
      const x = values[p]!;
      let lo = offsets[f]!;
      let hi = offsets[f + 1]!;
      const base = lo;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (x <= upper[mid]!) hi = mid;
        else lo = mid + 1;
      }
      const b = lo - base;
      out[p] = b;
      columns[f * rows + r] = b;
    }
  }
};
