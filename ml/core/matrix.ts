import { MlError } from './errors';

/**
 * Feature matrices. Estimators accept both: CSR for the sparse product-presence
 * features (a basket touches ~10 of ~5,000 products), dense for small, full ones.
 * Values are float32 to halve memory; arithmetic accumulates in float64.
 */
export type CsrMatrix = {
  kind: 'csr';
  rows: number;
  cols: number;
  /** Row r's entries are indptr[r] .. indptr[r+1]-1. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
};

export type DenseMatrix = { kind: 'dense'; rows: number; cols: number; /** row-major */ data: Float32Array };

export type Matrix = CsrMatrix | DenseMatrix;

export function dense(rows: number[][] | Float32Array, shape?: { rows: number; cols: number }): DenseMatrix {
  if (rows instanceof Float32Array) {
    if (!shape || shape.rows * shape.cols !== rows.length) throw new MlError('INVALID_DATA', 'dense(): shape does not match the data length');
    return { kind: 'dense', rows: shape.rows, cols: shape.cols, data: rows };
  }
  const cols = rows[0]?.length ?? 0;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new MlError('INVALID_DATA', `row ${r} has ${row.length} values, expected ${cols}`);
    data.set(row, r * cols);
  });
  return { kind: 'dense', rows: rows.length, cols, data };
}

/** Appends rows of (column, value) pairs; columns within a row must be increasing. */
export class CsrBuilder {
  private indptr: number[] = [0];
  private indices: Int32Array;
  private values: Float32Array;
  private nnz = 0;

  constructor(private readonly cols: number, expectedNnz = 1024) {
    this.indices = new Int32Array(Math.max(16, expectedNnz));
    this.values = new Float32Array(Math.max(16, expectedNnz));
  }

  private grow(min: number) {
    const size = Math.max(min, this.indices.length * 2);
    const indices = new Int32Array(size);
    indices.set(this.indices.subarray(0, this.nnz));
    const values = new Float32Array(size);
    values.set(this.values.subarray(0, this.nnz));
    this.indices = indices;
    this.values = values;
  }

  push(col: number, value: number) {
    if (value === 0) return;
    if (this.nnz === this.indices.length) this.grow(this.nnz + 1);
    this.indices[this.nnz] = col;
    this.values[this.nnz] = value;
    this.nnz++;
  }

  endRow() {
    this.indptr.push(this.nnz);
  }

  build(): CsrMatrix {
    return {
      kind: 'csr',
      rows: this.indptr.length - 1,
      cols: this.cols,
      indptr: Int32Array.from(this.indptr),
      // A view when little space is spare (no copy: the common serving case), a compact copy otherwise.
      indices: this.nnz * 4 >= this.indices.length * 3 ? this.indices.subarray(0, this.nnz) : this.indices.slice(0, this.nnz),
      values: this.nnz * 4 >= this.values.length * 3 ? this.values.subarray(0, this.nnz) : this.values.slice(0, this.nnz),
    };
  }
}

export function csr(rows: Array<Record<number, number> | number[]>, cols: number): CsrMatrix {
  const builder = new CsrBuilder(cols);
  for (const row of rows) {
    const entries = Array.isArray(row) ? row.map((v, i) => [i, v] as const) : Object.entries(row).map(([k, v]) => [Number(k), v] as const);
    entries.sort((a, b) => a[0] - b[0]);
    for (const [c, v] of entries) builder.push(c, v);
    builder.endRow();
  }
  return builder.build();
}

export function toDense(m: Matrix): DenseMatrix {
  if (m.kind === 'dense') return m;
  const data = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) data[r * m.cols + m.indices[k]!] = m.values[k]!;
  }
  return { kind: 'dense', rows: m.rows, cols: m.cols, data };
}

/** Column-major copy for tree learners, which scan one feature at a time. */
export function toColumns(m: Matrix): Float32Array[] {
  const columns = Array.from({ length: m.cols }, () => new Float32Array(m.rows));
  if (m.kind === 'dense') {
    for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) columns[c]![r] = m.data[r * m.cols + c]!;
  } else {
    for (let r = 0; r < m.rows; r++) for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) columns[m.indices[k]!]![r] = m.values[k]!;
  }
  return columns;
}

/** Rows selected by index (for splits and bootstrap samples). */
export function selectRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  if (m.kind === 'dense') {
    const data = new Float32Array(rows.length * m.cols);
    for (let i = 0; i < rows.length; i++) data.set(m.data.subarray(rows[i]! * m.cols, (rows[i]! + 1) * m.cols), i * m.cols);
    return { kind: 'dense', rows: rows.length, cols: m.cols, data };
  }
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) nnz += m.indptr[rows[i]! + 1]! - m.indptr[rows[i]!]!;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const start = m.indptr[rows[i]!]!;
    const end = m.indptr[rows[i]! + 1]!;
    indices.set(m.indices.subarray(start, end), at);
    values.set(m.values.subarray(start, end), at);
    at += end - start;
    indptr[i + 1] = at;
  }
  return { kind: 'csr', rows: rows.length, cols: m.cols, indptr, indices, values };
}

/** Refuse NaN and ±Infinity up front, naming the first offending cell. */
export function assertFinite(m: Matrix, what = 'X') {
  if (m.kind === 'dense') {
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i]!)) throw new MlError('INVALID_DATA', `${what} has a non-finite value (${m.data[i]}) at row ${Math.floor(i / m.cols)}, column ${i % m.cols}`);
    }
    return;
  }
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]!; k < m.indptr[r + 1]!; k++) {
      if (!Number.isFinite(m.values[k]!)) throw new MlError('INVALID_DATA', `${what} has a non-finite value (${m.values[k]}) at row ${r}, column ${m.indices[k]}`);
    }
  }
}

export function assertTrainingSet(X: Matrix, y: ArrayLike<number>, numClasses: number) {
  if (X.rows === 0) throw new MlError('INVALID_DATA', 'No training examples: the data holds no labelled baskets');
  if (X.rows !== y.length) throw new MlError('INVALID_DATA', `X has ${X.rows} rows but y has ${y.length} labels`);
  const seen = new Set<number>();
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) throw new MlError('INVALID_DATA', `label ${label} at row ${i} is not a class index in [0, ${numClasses})`);
    seen.add(label);
  }
  if (seen.size < 2) throw new MlError('INVALID_DATA', `Only one class (${[...seen][0]}) in the training labels: a classifier needs at least two`);
  assertFinite(X);
}
