import type { Parallel } from './core/parallel';
import type { Matrix } from './core/matrix';

/** Progress of a fit, reported as it goes (training curves, progress bars, ETA). */
export type FitProgress = {
  iteration: number;
  totalIterations: number;
  trainLoss?: number;
  validationLoss?: number;
  /** Extra per-iteration values worth charting (e.g. validation accuracy). */
  metrics?: Record<string, number>;
};

export type FitOptions = {
  classes: number;
  /** Held-out data for early stopping and validation curves (estimators that use it). */
  validation?: { X: Matrix; y: ArrayLike<number> };
  onProgress?: (progress: FitProgress) => void;
  signal?: AbortSignal;
  /** Threads to spread the work over (server/ml/thread-pool.ts); serial when absent. */
  parallel?: Parallel;
};

export interface Classifier {
  readonly kind: string;
  fit(X: Matrix, y: ArrayLike<number>, opts: FitOptions): void | Promise<void>;
  /** Row-major n × classes probabilities; `parallel` lets large batches use every thread. */
  predictProba(X: Matrix, parallel?: Parallel): Float32Array;
  featureImportance(): Float64Array;
  toJSON(): unknown;
}
