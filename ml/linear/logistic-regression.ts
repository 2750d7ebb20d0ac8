import { MlError } from '../core/errors';
import { assertFinite, assertTrainingSet, type Matrix } from '../core/matrix';
import type { Classifier, FitOptions } from '../estimator';
import { f64, SERIAL, type Kernel } from '../core/parallel';
import { minimizeLbfgs } from './lbfgs';

/**
 * Multinomial logistic regression: softmax over K classes, L2 (or L1 via OWL-QN)
 * penalty on the weights (not the intercepts), optional balanced class weights,
 * fitted with L-BFGS. The objective is scikit-learn's up to a constant factor —
 * ½‖W‖² + C·Σ sᵢ·CEᵢ — so the same C gives the same coefficients.
 */
export type LogisticParams = {
  C: number;
  penalty: 'l2' | 'l1' | 'none';
  maxIter: number;
  tol: number;
  classWeight: 'none' | 'balanced';
  fitIntercept: boolean;
};

export const LOGISTIC_DEFAULTS: LogisticParams = { C: 1, penalty: 'l2', maxIter: 300, tol: 1e-4, classWeight: 'none', fitIntercept: true };

/** weights are feature-major: weights[j·classes + c]. */
type State = { kind: 'logistic_regression'; params: LogisticParams; classes: number; features: number; weights: number[]; intercepts: number[]; iterations: number; converged: boolean };

/**
 * Row scores Z = X·Wᵀ + b into `out` (n × k). Weights are stored feature-major
 * (w[j·k + c]): a feature's k class weights sit together, so each non-zero
 * touches one cache line instead of k.
 */
function scores(X: Matrix, w: Float64Array, b: Float64Array, k: number, out: Float64Array) {
  const d = X.cols;
  if (X.kind === 'csr') {
    const { indptr, indices, values } = X;
    for (let i = 0; i < X.rows; i++) {
      const o = i * k;
      for (let c = 0; c < k; c++) out[o + c] = b[c]!;
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
        const wj = indices[p]! * k;
        const v = values[p]!;
        for (let c = 0; c < k; c++) out[o + c]! += v * w[wj + c]!;
      }
    }
  } else {
    const data = X.data;
    for (let i = 0; i < X.rows; i++) {
      const o = i * k;
      for (let c = 0; c < k; c++) out[o + c] = b[c]!;
      const row = i * d;
      for (let j = 0; j < d; j++) {
        const v = data[row + j]!;
        if (v === 0) continue;
        const wj = j * k;
        for (let c = 0; c < k; c++) out[o + c]! += v * w[wj + c]!;
      }
    }
  }
}

/** In place: scores → probabilities, numerically stable. */
function softmaxRows(z: Float64Array | Float32Array, k: number) {
  for (let i = 0; i < z.length; i += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[i + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(z[i + c]! - max);
      z[i + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) z[i + c]! /= sum;
  }
}

/** ½·l2·‖w‖² added to the loss and l2·w to the gradient, over the first `size` entries (weights, not intercepts). */
function l2Term(x: Float64Array, grad: Float64Array, size: number, l2: number) {
  let sq = 0;
  for (let i = 0; i < size; i++) {
    sq += x[i]! * x[i]!;
    grad[i]! += l2 * x[i]!;
  }
  return 0.5 * l2 * sq;
}

/**
 * Softmax cross-entropy and its gradient for 3 classes on CSR rows [from, to):
 * one pass, no allocation. A kernel: each thread takes its rows (split by
 * non-zeros in `bounds`) and writes its own gradient slice and loss.
 */
export const lrLossGrad3: Kernel = function lrLossGrad3(args, thread) {
  const indptr = args.indptr as Int32Array;
  const indices = args.indices as Int32Array;
  const values = args.values as Float32Array;
  const y = args.y as Int32Array;
  const rowWeight = args.rowWeight as Float64Array;
  const x = args.x as Float64Array;
  const d = args.d as number;
  const size = args.size as number;
  const intercept = args.intercept as boolean;
  const bounds = args.bounds as number[];
  const grad = (args.grads as Float64Array).subarray(thread * size, (thread + 1) * size);
  const b0 = intercept ? x[3 * d]! : 0;
  const b1 = intercept ? x[3 * d + 1]! : 0;
  const b2 = intercept ? x[3 * d + 2]! : 0;
  grad.fill(0);
  let loss = 0;
  let g0 = 0, g1 = 0, g2 = 0;
  for (let i = bounds[thread]!; i < bounds[thread + 1]!; i++) {
    const start = indptr[i]!;
    const end = indptr[i + 1]!;
    let z0 = b0, z1 = b1, z2 = b2;
    for (let p = start; p < end; p++) {
      const j = indices[p]! * 3;
      const v = values[p]!;
      z0 += v * x[j]!;
      z1 += v * x[j + 1]!;
      z2 += v * x[j + 2]!;
    }
    const max = z0 > z1 ? (z0 > z2 ? z0 : z2) : z1 > z2 ? z1 : z2;
    const e0 = Math.exp(z0 - max), e1 = Math.exp(z1 - max), e2 = Math.exp(z2 - max);
    const sum = e0 + e1 + e2;
    const s = rowWeight[i]!;
    const yi = y[i]!;
    loss += s * (max + Math.log(sum) - (yi === 0 ? z0 : yi === 1 ? z1 : z2));
    const r0 = s * (e0 / sum - (yi === 0 ? 1 : 0));
    const r1 = s * (e1 / sum - (yi === 1 ? 1 : 0));
    const r2 = s * (e2 / sum - (yi === 2 ? 1 : 0));
    for (let p = start; p < end; p++) {
      const j = indices[p]! * 3;
      const v = values[p]!;
      grad[j]! += v * r0;
      grad[j + 1]! += v * r1;
      grad[j + 2]! += v * r2;
    }
    g0 += r0; g1 += r1; g2 += r2;
  }
  if (intercept) {
    grad[3 * d] = g0;
    grad[3 * d + 1] = g1;
    grad[3 * d + 2] = g2;
  }
  (args.losses as Float64Array)[thread] = loss;
};

/** Row boundaries giving each thread about the same number of non-zeros. */
function nnzBounds(indptr: Int32Array, threads: number): number[] {
  const rows = indptr.length - 1;
  const total = indptr[rows]!;
  const bounds = [0];
  let r = 0;
  for (let t = 1; t < threads; t++) {
    const target = (total * t) / threads;
    while (r < rows && indptr[r]! < target) r++;
    bounds.push(r);
  }
  bounds.push(rows);
  return bounds;
}

export class LogisticRegression implements Classifier {
  readonly kind = 'logistic_regression';
  private weights = new Float64Array(0);
  private intercepts = new Float64Array(0);
  private classes = 0;
  private features = 0;
  private iterations = 0;
  private converged = false;

  constructor(readonly params: LogisticParams = LOGISTIC_DEFAULTS) {
    if (!(params.C > 0)) throw new MlError('INVALID_PARAM', `C must be > 0 (got ${params.C})`);
  }

  fit(X: Matrix, y: ArrayLike<number>, opts: FitOptions): void {
    const k = opts.classes;
    assertTrainingSet(X, y, k);
    const n = X.rows;
    const d = X.cols;
    const sampleWeight = new Float64Array(n).fill(1);
    if (this.params.classWeight === 'balanced') {
      const counts = new Float64Array(k);
      for (let i = 0; i < n; i++) counts[y[i]!]!++;
      for (let i = 0; i < n; i++) sampleWeight[i] = n / (k * counts[y[i]!]!);
    }
    let totalWeight = 0;
    for (let i = 0; i < n; i++) totalWeight += sampleWeight[i]!;
    // Mean form of ½‖W‖² + C·Σ sᵢ·CEᵢ (divided by C·Σ sᵢ): same minimiser, well-scaled loss.
    const l2 = this.params.penalty === 'l2' ? 1 / (this.params.C * totalWeight) : 0;
    const l1 = this.params.penalty === 'l1' ? 1 / (this.params.C * totalWeight) : 0;
    const z = new Float64Array(n * k);
    const size = k * d + k;
    const labels = Int32Array.from(y as ArrayLike<number>);
    const rowWeight = Float64Array.from(sampleWeight, (v) => v / totalWeight);
    // The common case (three labels, sparse features): one fused pass per row, split over threads.
    const parallel = opts.parallel ?? SERIAL;
    const fused = k === 3 && X.kind === 'csr'
      ? {
          indptr: parallel.share(X.indptr), indices: parallel.share(X.indices), values: parallel.share(X.values),
          y: parallel.share(labels), rowWeight: parallel.share(rowWeight), x: f64(parallel, size), grads: f64(parallel, size * parallel.threads),
          losses: f64(parallel, parallel.threads), d, size, intercept: this.params.fitIntercept, bounds: nnzBounds(X.indptr, parallel.threads),
        }
      : null;
    const objective = (x: Float64Array, grad: Float64Array) => {
      if (fused) {
        fused.x.set(x);
        parallel.run('lr.lossGrad3', fused, lrLossGrad3);
        grad.set(fused.grads.subarray(0, size));
        let loss = fused.losses[0]!;
        for (let t = 1; t < parallel.threads; t++) {
          const part = fused.grads.subarray(t * size, (t + 1) * size);
          for (let i = 0; i < size; i++) grad[i]! += part[i]!;
          loss += fused.losses[t]!;
        }
        if (l2) loss += l2Term(x, grad, k * d, l2);
        return loss;
      }
      const w = x.subarray(0, k * d);
      const b = this.params.fitIntercept ? x.subarray(k * d) : new Float64Array(k);
      scores(X, w, b, k, z);
      grad.fill(0);
      let loss = 0;
      const r = new Float64Array(k);
      const e = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        const off = i * k;
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, z[off + c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) {
          e[c] = Math.exp(z[off + c]! - max);
          sum += e[c]!;
        }
        const s = sampleWeight[i]! / totalWeight;
        const yi = y[i]!;
        loss += s * (max + Math.log(sum) - z[off + yi]!);
        for (let c = 0; c < k; c++) r[c] = s * (e[c]! / sum - (c === yi ? 1 : 0));
        if (X.kind === 'csr') {
          for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) {
            const gj = X.indices[p]! * k;
            const v = X.values[p]!;
            for (let c = 0; c < k; c++) grad[gj + c]! += v * r[c]!;
          }
        } else {
          const row = i * d;
          for (let j = 0; j < d; j++) {
            const v = X.data[row + j]!;
            if (v === 0) continue;
            for (let c = 0; c < k; c++) grad[j * k + c]! += v * r[c]!;
          }
        }
        if (this.params.fitIntercept) for (let c = 0; c < k; c++) grad[k * d + c]! += r[c]!;
      }
      if (l2) loss += l2Term(x, grad, k * d, l2);
      return loss;
    };
    // Inverse of the Hessian's diagonal at the start (p = 1/k): Σ sᵢ·xᵢⱼ²·(1/k)(1 − 1/k) + l2.
    const preconditioner = new Float64Array(size);
    const curvature = (1 / k) * (1 - 1 / k);
    const colSq = new Float64Array(d);
    let weightSum = 0;
    for (let i = 0; i < n; i++) {
      const s = sampleWeight[i]! / totalWeight;
      weightSum += s;
      if (X.kind === 'csr') for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) colSq[X.indices[p]!]! += s * X.values[p]! * X.values[p]!;
      else for (let j = 0; j < d; j++) colSq[j]! += s * X.data[i * d + j]! * X.data[i * d + j]!;
    }
    for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) preconditioner[j * k + c] = 1 / (curvature * colSq[j]! + l2 + 1e-8);
    for (let c = 0; c < k; c++) preconditioner[k * d + c] = 1 / (curvature * weightSum + 1e-8);
    const l1Mask = new Uint8Array(size);
    l1Mask.fill(1, 0, k * d);
    const result = minimizeLbfgs(objective, new Float64Array(size), {
      maxIterations: this.params.maxIter,
      gradientTolerance: this.params.tol / Math.max(1, totalWeight * this.params.C) + 1e-10,
      l1,
      l1Mask,
      preconditioner,
      signal: opts.signal,
      onIteration: (iteration, loss) => opts.onProgress?.({ iteration, totalIterations: this.params.maxIter, trainLoss: loss }),
    });
    this.weights = result.x.slice(0, k * d);
    this.intercepts = this.params.fitIntercept ? result.x.slice(k * d) : new Float64Array(k);
    this.classes = k;
    this.features = d;
    this.iterations = result.iterations;
    this.converged = result.converged;
  }

  predictProba(X: Matrix): Float32Array {
    if (X.cols !== this.features) throw new MlError('INVALID_DATA', `X has ${X.cols} features, the model was fitted on ${this.features}`);
    assertFinite(X);
    const z = new Float64Array(X.rows * this.classes);
    scores(X, this.weights, this.intercepts, this.classes, z);
    softmaxRows(z, this.classes);
    return Float32Array.from(z);
  }

  /** Mean |coefficient| over classes per feature: what drives the decision. */
  featureImportance(): Float64Array {
    const out = new Float64Array(this.features);
    for (let j = 0; j < this.features; j++) for (let c = 0; c < this.classes; c++) out[j]! += Math.abs(this.weights[j * this.classes + c]!) / this.classes;
    return out;
  }

  /** Coefficients as classes × features (scikit-learn's coef_ layout). */
  coefficients() {
    const coef = Array.from({ length: this.classes }, (_, c) => Array.from({ length: this.features }, (_, j) => this.weights[j * this.classes + c]!));
    return { coef, intercept: Array.from(this.intercepts) };
  }

  info() {
    return { iterations: this.iterations, converged: this.converged };
  }

  toJSON(): State {
    return {
      kind: 'logistic_regression', params: this.params, classes: this.classes, features: this.features,
      weights: Array.from(this.weights), intercepts: Array.from(this.intercepts), iterations: this.iterations, converged: this.converged,
    };
  }

  static fromJSON(state: State): LogisticRegression {
    const model = new LogisticRegression(state.params);
    if (state.weights.length !== state.classes * state.features) throw new MlError('ARTIFACT', 'logistic regression weights do not match their shape');
    model.weights = Float64Array.from(state.weights);
    model.intercepts = Float64Array.from(state.intercepts);
    model.classes = state.classes;
    model.features = state.features;
    model.iterations = state.iterations;
    model.converged = state.converged;
    return model;
  }
}
