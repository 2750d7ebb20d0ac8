'use client';

import { CalibrationChart } from '@/components/charts/calibration-chart';
import { ConfusionMatrix } from '@/components/charts/confusion-matrix';
import { FeatureImportanceChart } from '@/components/charts/feature-importance-chart';
import { GroupedBarChart } from '@/components/charts/grouped-bar-chart';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Stat } from '@/components/ui/stat';
import { labelColor } from '@/lib/charts/labels';
import { calibrationSeries, normaliseConfusion, topImportances } from '@/lib/charts/runs';
import { formatDuration, formatInt, formatWeek } from '@/lib/datasets/format';
import { formatMetric, formatUsd } from '../_components/run-status';
import type { RunView } from '../_components/types';

const PER_CLASS_SERIES = [
  { key: 'precision', label: 'Precision', color: 'var(--color-primary)' },
  { key: 'recall', label: 'Recall', color: 'var(--color-warning)' },
  { key: 'f1', label: 'F1', color: 'var(--color-success)' },
];

/** Everything a finished run measured on its test weeks. */
export function RunResult({ run }: { run: RunView }) {
  const m = run.metrics;
  if (!m) return null;
  const labels = m.confusion_matrix.labels;
  const perClass = labels.map((l) => ({ label: l, ...(m.per_class[l] ?? { precision: 0, recall: 0, f1: 0, support: 0 }) }));
  return (
    <div className="grid gap-6">
      <section aria-label="Headline metrics" className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat label="Accuracy" value={formatMetric(m.accuracy)} hint={`${formatInt(m.n_test)} test baskets`} />
        <Stat label="Macro F1" value={formatMetric(m.macro_f1)} hint="mean of per-class F1" />
        <Stat label="Weighted F1" value={formatMetric(m.weighted_f1)} hint="by class support" />
        <Stat label="Log loss" value={formatMetric(m.log_loss)} hint="lower is better" />
        <Stat label="Duration" value={formatDuration(run.durationMs)} hint={`${run.attempts} attempt${run.attempts === 1 ? '' : 's'}`} />
        <Stat label="Estimated cost" value={formatUsd(run.costUsd)} hint={run.instanceType ? `as ${run.instanceType}` : undefined} />
      </section>
      <p className="-mt-3 text-xs text-muted-foreground">
        Trained on weeks {formatWeek(m.split.trainWeeks[0])}–{formatWeek(m.split.trainWeeks[1])} ({formatInt(m.n_train)} labelled baskets), tested on {formatWeek(m.split.testWeeks[0])}–{formatWeek(m.split.testWeeks[1])}.
      </p>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Confusion matrix</CardTitle>
            <CardDescription>Rows: true class; columns: predicted.</CardDescription>
          </CardHeader>
          <CardContent>
            <ConfusionMatrix view={normaliseConfusion(labels, m.confusion_matrix.matrix)} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Per class</CardTitle>
            <CardDescription>Precision, recall and F1 on the test weeks.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <GroupedBarChart data={perClass} categoryKey="label" series={PER_CLASS_SERIES} height={200} label="Precision, recall and F1 per class" />
            <table className="w-full text-sm tabular-nums">
              <thead>
                <tr className="text-xs text-muted-foreground">
                  <th scope="col" className="pb-1.5 text-left font-medium">Class</th>
                  <th scope="col" className="pb-1.5 text-right font-medium">Precision</th>
                  <th scope="col" className="pb-1.5 text-right font-medium">Recall</th>
                  <th scope="col" className="pb-1.5 text-right font-medium">F1</th>
                  <th scope="col" className="pb-1.5 text-right font-medium">Support</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-border">
                {perClass.map((c) => (
                  <tr key={c.label}>
                    <th scope="row" className="py-1.5 text-left font-mono text-xs font-medium">
                      <span className="mr-2 inline-block size-2 rounded-full" style={{ background: labelColor(c.label) }} aria-hidden="true" />
                      {c.label}
                    </th>
                    <td className="py-1.5 text-right">{formatMetric(c.precision, 3)}</td>
                    <td className="py-1.5 text-right">{formatMetric(c.recall, 3)}</td>
                    <td className="py-1.5 text-right font-medium">{formatMetric(c.f1, 3)}</td>
                    <td className="py-1.5 text-right text-muted-foreground">{formatInt(c.support)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </CardContent>
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Calibration</CardTitle>
            <CardDescription>Predicted probability against how often the class occurred; the dashed diagonal is perfect calibration.</CardDescription>
          </CardHeader>
          <CardContent>
            <CalibrationChart series={calibrationSeries(m.calibration, labels)} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Feature importance</CardTitle>
            <CardDescription>Top {Math.min(20, run.featureImportance.length)} features.</CardDescription>
          </CardHeader>
          <CardContent>
            {run.featureImportance.length ? (
              <FeatureImportanceChart items={topImportances(run.featureImportance, 20)} />
            ) : (
              <p className="text-sm text-muted-foreground">This model does not report feature importance.</p>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
