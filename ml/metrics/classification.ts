import { LABELS } from '../core/labels';

/**
 * Classification metrics, as scikit-learn defines them (zero_division = 0):
 * accuracy, per-class precision/recall/F1/support, macro and weighted F1,
 * confusion matrix (rows = true, columns = predicted), log loss and calibration.
 */
export type ClassMetrics = { precision: number; recall: number; f1: number; support: number };
export type ClassificationReport = {
  n: number;
  accuracy: number;
  macro_f1: number;
  weighted_f1: number;
  per_class: Record<string, ClassMetrics>;
  confusion_matrix: { labels: string[]; matrix: number[][] };
};

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]!]![yPred[i]!]!++;
  return m;
}

export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: readonly string[] = LABELS): ClassificationReport {
  const k = labels.length;
  const cm = confusionMatrix(yTrue, yPred, k);
  const n = yTrue.length;
  let correct = 0;
  const perClass: Record<string, ClassMetrics> = {};
  let macro = 0;
  let weighted = 0;
  for (let c = 0; c < k; c++) {
    correct += cm[c]![c]!;
    const tp = cm[c]![c]!;
    const predicted = cm.reduce((sum, row) => sum + row[c]!, 0);
    const support = cm[c]!.reduce((a, b) => a + b, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[labels[c]!] = { precision, recall, f1, support };
    macro += f1 / k;
    weighted += n ? (f1 * support) / n : 0;
  }
  return { n, accuracy: n ? correct / n : 0, macro_f1: macro, weighted_f1: weighted, per_class: perClass, confusion_matrix: { labels: [...labels], matrix: cm } };
}

/** Mean negative log-likelihood of the true class; probabilities clipped at 1e-15 like scikit-learn. */
export function logLoss(yTrue: ArrayLike<number>, proba: Float32Array | Float64Array, k: number): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, proba[i * k + yTrue[i]!]!)));
  return yTrue.length ? sum / yTrue.length : 0;
}

export type CalibrationBin = { lower: number; upper: number; count: number; meanPredicted: number; fractionPositive: number };

/** Reliability data per class: bins of predicted probability vs the observed share of that class. */
export function calibration(yTrue: ArrayLike<number>, proba: Float32Array | Float64Array, labels: readonly string[] = LABELS, bins = 10): Record<string, CalibrationBin[]> {
  const k = labels.length;
  const out: Record<string, CalibrationBin[]> = {};
  for (let c = 0; c < k; c++) {
    const count = new Float64Array(bins);
    const sumP = new Float64Array(bins);
    const positives = new Float64Array(bins);
    for (let i = 0; i < yTrue.length; i++) {
      const p = proba[i * k + c]!;
      const bin = Math.min(bins - 1, Math.floor(p * bins));
      count[bin]!++;
      sumP[bin]! += p;
      if (yTrue[i] === c) positives[bin]!++;
    }
    out[labels[c]!] = Array.from({ length: bins }, (_, b) => ({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: count[b]!,
      meanPredicted: count[b]! ? sumP[b]! / count[b]! : 0,
      fractionPositive: count[b]! ? positives[b]! / count[b]! : 0,
    }));
  }
  return out;
}

/** Index of the largest probability per row. */
export function argmaxRows(proba: Float32Array | Float64Array, k: number): Int8Array {
  const n = proba.length / k;
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}
