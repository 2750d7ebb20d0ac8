import { labelledIndices, selectBaskets, type BasketTable } from '@/ml/data/basket-table';
import type { Parallel } from '@/ml/core/parallel';
import { Model, type TrainProgress } from '@/ml/model';
import type { RunMetrics } from '@/server/services/runs/read-runs';

/**
 * The part of a training run that does not depend on where it runs: split a
 * BasketTable by time, train, evaluate into RunMetrics. The local trainer process
 * (server/jobs/run-trainer.ts) and the SageMaker container
 * (trainer/sagemaker-entry.ts) both use it, so a run means the same on either.
 */

/** The data cannot make a run (too few weeks, an empty side of the split): a message for the user, no stack. */
export class TrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingDataError';
  }
}

export type TimeSplit = { trainWeeks: [number, number]; testWeeks: [number, number] };
export type SplitTables = { split: TimeSplit; train: BasketTable; test: BasketTable };

/** The last ~15 % of weeks (at least one) are the test set; the rest train. */
export function timeSplit(table: BasketTable): TimeSplit {
  const weeks = [...new Set(Array.from(table.week))].sort((a, b) => a - b);
  if (weeks.length < 2) throw new TrainingDataError(`The dataset version covers ${weeks.length} week(s); a run needs at least 2 to test on later weeks than it trains on.`);
  const testCount = Math.max(1, Math.round(weeks.length * 0.15));
  const firstTest = weeks[weeks.length - testCount]!;
  return { trainWeeks: [weeks[0]!, weeks[weeks.length - testCount - 1]!], testWeeks: [firstTest, weeks[weeks.length - 1]!] };
}

/** Labelled baskets of the training weeks and of the test weeks. */
export function splitForTraining(table: BasketTable): SplitTables {
  const split = timeSplit(table);
  const train = selectBaskets(table, labelledIndices(table, { to: split.trainWeeks[1] }));
  const test = selectBaskets(table, labelledIndices(table, { from: split.testWeeks[0] }));
  if (train.size === 0 || test.size === 0) throw new TrainingDataError(`The time split left ${train.size} labelled training and ${test.size} test baskets; both need some.`);
  return { split, train, test };
}

export type TrainOptions = {
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  parallel?: Parallel;
  onProgress?: (p: TrainProgress) => void;
  training: { codeVersion: string; datasetVersionId: string; dataHash?: string };
};

export function trainModel(tables: SplitTables, opts: TrainOptions): Promise<Model> {
  return Model.train(tables.train, opts);
}

/** Evaluate on the test weeks into the metrics a run records. */
export function evaluateModel(model: Model, tables: SplitTables): { metrics: RunMetrics; evaluation: ReturnType<Model['evaluate']> } {
  const e = model.evaluate(tables.test);
  const metrics: RunMetrics = {
    accuracy: e.accuracy, macro_f1: e.macro_f1, weighted_f1: e.weighted_f1, log_loss: e.log_loss, row_accuracy: e.row_accuracy,
    per_class: e.per_class, confusion_matrix: e.confusion_matrix, calibration: e.calibration, n_train: tables.train.size, n_test: e.n_baskets,
    split: tables.split, unknown_product_lines: e.unknown_product_lines,
  };
  return { metrics, evaluation: e };
}

/** Split, train and evaluate in one go (the SageMaker entry; the local trainer reports progress between the steps). */
export async function trainAndEvaluate(table: BasketTable, opts: TrainOptions & { onSplit?: (tables: SplitTables) => void }) {
  const tables = splitForTraining(table);
  opts.onSplit?.(tables);
  const model = await trainModel(tables, opts);
  return { model, tables, ...evaluateModel(model, tables) };
}
