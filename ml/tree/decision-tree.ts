import { binMatrix, fitBins } from '../core/binning';
import { MlError } from '../core/errors';
import { assertFinite, assertTrainingSet, type Matrix } from '../core/matrix';
import { Rng } from '../core/random';
import type { Classifier, FitOptions } from '../estimator';
import { clearRow, denseRow } from '../gbdt/gbdt';
import { histogramLayout } from '../gbdt/histogram';
import { growClassificationTree, predictTree, type FlatTree, type TreeParams } from './classification-tree';

export type DecisionTreeParams = {
  criterion: 'gini' | 'entropy';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  classWeight: 'none' | 'balanced';
  maxBins: number;
  seed: number;
};

export const DECISION_TREE_DEFAULTS: DecisionTreeParams = {
  criterion: 'gini',
  maxDepth: 12,
  minSamplesSplit: 2,
  minSamplesLeaf: 5,
  minImpurityDecrease: 0,
  classWeight: 'none',
  maxBins: 255,
  seed: 42,
};

type State = { kind: 'decision_tree'; params: DecisionTreeParams; classes: number; features: number; tree: FlatTree; importance: number[] };

/** Weights 1 per row, or n / (k · count(class)) for balanced classes (scikit-learn's rule). */
export function classWeights(y: ArrayLike<number>, k: number, mode: 'none' | 'balanced'): Float64Array {
  const w = new Float64Array(y.length).fill(1);
  if (mode === 'balanced') {
    const counts = new Float64Array(k);
    for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
    for (let i = 0; i < y.length; i++) w[i] = y.length / (k * counts[y[i]!]!);
  }
  return w;
}

export function treeImportance(tree: FlatTree, features: number, into = new Float64Array(features)) {
  for (let node = 0; node < tree.feature.length; node++) if (tree.left[node]! >= 0) into[tree.feature[node]!]! += tree.gain[node]!;
  return into;
}

export function normalise(v: Float64Array) {
  const total = v.reduce((a, b) => a + b, 0) || 1;
  return v.map((x) => x / total);
}

/** A single CART tree: interpretable, the baseline of the tree family. */
export class DecisionTreeClassifier implements Classifier {
  readonly kind = 'decision_tree';
  private tree: FlatTree = { feature: [], threshold: [], left: [], right: [], distribution: [], gain: [] };
  private classes = 0;
  private features = 0;
  private importance = new Float64Array(0);

  constructor(readonly params: DecisionTreeParams = DECISION_TREE_DEFAULTS) {
    if (!(params.maxDepth >= 1)) throw new MlError('INVALID_PARAM', `maxDepth must be ≥ 1 (got ${params.maxDepth})`);
    if (!(params.minSamplesLeaf >= 1)) throw new MlError('INVALID_PARAM', `minSamplesLeaf must be ≥ 1 (got ${params.minSamplesLeaf})`);
    if (!(params.maxBins >= 2 && params.maxBins <= 255)) throw new MlError('INVALID_PARAM', `maxBins must be between 2 and 255 (got ${params.maxBins})`);
  }

  fit(X: Matrix, y: ArrayLike<number>, opts: FitOptions): void {
    const k = opts.classes;
    assertTrainingSet(X, y, k);
    const rng = new Rng(this.params.seed);
    const bins = fitBins(X, this.params.maxBins, rng);
    const params: TreeParams = { ...this.params, maxFeatures: X.cols };
    opts.onProgress?.({ iteration: 0, totalIterations: 1 });
    this.tree = growClassificationTree({ X: binMatrix(X, bins), bins, layout: histogramLayout(bins.count), y: Int32Array.from(y), weight: classWeights(y, k, this.params.classWeight), k, params, rng, signal: opts.signal });
    opts.onProgress?.({ iteration: 1, totalIterations: 1 });
    this.classes = k;
    this.features = X.cols;
    this.importance = treeImportance(this.tree, X.cols);
  }

  predictProba(X: Matrix): Float32Array {
    if (X.cols !== this.features) throw new MlError('INVALID_DATA', `X has ${X.cols} features, the model was fitted on ${this.features}`);
    assertFinite(X);
    const k = this.classes;
    const out = new Float32Array(X.rows * k);
    const row = new Float32Array(X.cols);
    const acc = new Float64Array(k);
    for (let i = 0; i < X.rows; i++) {
      denseRow(X, i, row);
      acc.fill(0);
      predictTree(this.tree, row, k, acc);
      for (let c = 0; c < k; c++) out[i * k + c] = acc[c]!;
      clearRow(X, i, row);
    }
    return out;
  }

  featureImportance(): Float64Array {
    return normalise(this.importance);
  }

  structure() {
    return this.tree;
  }

  toJSON(): State {
    return { kind: 'decision_tree', params: this.params, classes: this.classes, features: this.features, tree: this.tree, importance: Array.from(this.importance) };
  }

  static fromJSON(state: State) {
    const model = new DecisionTreeClassifier(state.params);
    model.tree = state.tree;
    model.classes = state.classes;
    model.features = state.features;
    model.importance = Float64Array.from(state.importance);
    return model;
  }
}
