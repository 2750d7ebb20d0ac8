import Link from 'next/link';
import { ConfusionMatrix } from '@/components/charts/confusion-matrix';
import { GroupedBarChart } from '@/components/charts/grouped-bar-chart';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { deltaTone, formatDelta, METRIC_LABELS } from '@/lib/charts/models';
import { normaliseConfusion, perClassBars } from '@/lib/charts/runs';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import type { compareWithDeployed } from '@/server/services/models/read-models';
import { formatMetric } from '../../runs/_components/run-status';

type Comparison = Awaited<ReturnType<typeof compareWithDeployed>>;

const TONE_CLASS = { better: 'text-success-soft-foreground', worse: 'text-danger-soft-foreground', same: 'text-muted-foreground' } as const;

/** The version beside what serves the deployment now: headline deltas, F1 per class, both confusion matrices. */
export function CompareSection({ comparison }: { comparison: Comparison }) {
  const { candidate, current, deployment, isServing, since, deltas } = comparison;
  const me = `v${candidate.version}`;
  return (
    <section aria-labelledby="compare-title" className="grid gap-4">
      <div className="grid gap-1">
        <h2 id="compare-title" className="text-base font-semibold">Compared with {deployment}</h2>
        {current ? (
          <p className="text-sm text-muted-foreground">
            {me} against{' '}
            <Link href={`/models/${current.id}`} className="font-medium text-foreground hover:underline">v{current.version}</Link>, which serves {deployment}
            {since ? <> since <time dateTime={since.toISOString()} title={formatDateTime(since)}>{formatRelative(since)}</time></> : null}.
          </p>
        ) : null}
        {current && current.datasetVersion.id !== candidate.datasetVersion.id ? (
          <p className="text-sm text-warning-soft-foreground">
            Measured on different data ({candidate.datasetVersion.dataset.name} v{candidate.datasetVersion.version} and {current.datasetVersion.dataset.name} v{current.datasetVersion.version}): the differences are indicative only.
          </p>
        ) : null}
      </div>
      {!current ? (
        <Callout variant="info" title={isServing ? `${me} is what serves ${deployment}` : `Nothing serves ${deployment} yet`}>
          {isServing
            ? `It has served ${deployment}${since ? ` since ${formatDateTime(since)}` : ''}, so there is nothing else to compare it with.`
            : `Once an approved version serves ${deployment}, this section compares every other version with it.`}
        </Callout>
      ) : (
        <>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card className="pb-0">
              <CardHeader>
                <CardTitle as="h3">Metrics</CardTitle>
                <CardDescription>Green: {me} is better; red: worse.</CardDescription>
              </CardHeader>
              <Table aria-label={`Metrics of ${me} against ${deployment}`}>
                <THead>
                  <TR>
                    <TH>Metric</TH>
                    <TH numeric>{me}</TH>
                    <TH numeric>v{current.version}<span className="hidden sm:inline"> ({deployment})</span></TH>
                    <TH numeric>Change</TH>
                  </TR>
                </THead>
                <TBody>
                  {deltas.map((d) => {
                    const tone = deltaTone(d.delta, d.higherIsBetter);
                    return (
                      <TR key={d.metric}>
                        <TD>
                          {METRIC_LABELS[d.metric] ?? d.metric}
                          {d.higherIsBetter ? null : <span className="ml-1 text-xs text-muted-foreground">(lower<span className="hidden sm:inline"> is better</span>)</span>}
                        </TD>
                        <TD numeric className="font-medium">{formatMetric(d.candidate)}</TD>
                        <TD numeric className="text-muted-foreground">{formatMetric(d.current)}</TD>
                        <TD numeric className={cn('font-medium', tone && TONE_CLASS[tone])}>
                          {formatDelta(d.delta)}
                          {tone === 'better' || tone === 'worse' ? <span className="sr-only"> ({tone})</span> : null}
                        </TD>
                      </TR>
                    );
                  })}
                </TBody>
              </Table>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle as="h3">F1 per class</CardTitle>
                <CardDescription>{me} beside v{current.version} for each class.</CardDescription>
              </CardHeader>
              <CardContent>
                <GroupedBarChart
                  data={perClassBars(
                    [
                      { id: 'candidate', perClass: candidate.metrics?.per_class ?? null },
                      { id: 'current', perClass: current.metrics?.per_class ?? null },
                    ],
                    candidate.metrics?.confusion_matrix.labels ?? ['LA', 'MM', 'UM'],
                  )}
                  categoryKey="label"
                  series={[
                    { key: 'candidate', label: me, color: 'var(--color-primary)' },
                    { key: 'current', label: `v${current.version} (${deployment})`, color: 'var(--color-muted-foreground)' },
                  ]}
                  label={`F1 per class: ${me} and v${current.version}`}
                  height={230}
                />
              </CardContent>
            </Card>
          </div>
          <Card>
            <CardHeader>
              <CardTitle as="h3">Confusion matrices</CardTitle>
              <CardDescription>Rows: true class; columns: predicted.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-6 md:grid-cols-2">
              {[
                { model: candidate, title: `${me} (this version)` },
                { model: current, title: `v${current.version} (${deployment})` },
              ].map(({ model, title }) => (
                <div key={model.id} className="grid gap-2">
                  <h4 className="text-sm font-medium">{title}</h4>
                  {model.metrics?.confusion_matrix ? (
                    <ConfusionMatrix view={normaliseConfusion(model.metrics.confusion_matrix.labels, model.metrics.confusion_matrix.matrix)} caption={`Confusion matrix of ${title}`} compact />
                  ) : (
                    <p className="text-sm text-muted-foreground">No confusion matrix recorded.</p>
                  )}
                </div>
              ))}
            </CardContent>
          </Card>
        </>
      )}
    </section>
  );
}
