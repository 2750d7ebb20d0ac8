import { gossKernel, gradientsKernel, scoreRowsKernel } from '../gbdt/gbdt';
import { binKernel, edgesKernel } from './binning';
import { histogramFinishKernel, histogramKernel, rootHistogramsFinishKernel, rootHistogramsKernel } from '../gbdt/histogram';
import { growTreesKernel } from '../gbdt/grower';
import { forestScoresKernel } from '../gbdt/predictor';
import { predictTableKernel } from '../model';
import { lrLossGrad3 } from '../linear/logistic-regression';
import type { Kernel } from './parallel';

/** Every kernel a worker thread can run, by the name callers pass to Parallel.run. */
export const KERNELS: Record<string, Kernel> = {
  'lr.lossGrad3': lrLossGrad3,
  'core.bin': binKernel,
  'core.edges': edgesKernel,
  'gbdt.gradients': gradientsKernel,
  'gbdt.goss': gossKernel,
  'gbdt.scoreRows': scoreRowsKernel,
  'gbdt.histogram': histogramKernel,
  'gbdt.forestScores': forestScoresKernel,
  'model.predictTable': (args, thread, threads) => predictTableKernel(args, thread, threads),
  'gbdt.histogramFinish': histogramFinishKernel,
  'gbdt.growTrees': growTreesKernel,
  'gbdt.rootHistograms': rootHistogramsKernel,
  'gbdt.rootHistogramsFinish': rootHistogramsFinishKernel,
};
