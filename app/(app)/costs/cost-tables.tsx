import type { ReactNode } from 'react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUsd, monthLabel } from '@/lib/costs';
import { formatDuration, formatInt } from '@/lib/datasets/format';
import type { CostOverview } from '@/server/services/costs/get-cost-overview';

function Empty({ children }: { children: ReactNode }) {
  return <p className="px-5 text-sm text-muted-foreground">{children}</p>;
}

const RUN_STATUS_VARIANT: Record<string, 'success' | 'danger' | 'neutral'> = { succeeded: 'success', failed: 'danger' };

export function RunCostsCard({ overview: o }: { overview: CostOverview }) {
  return (
    <Card aria-labelledby="run-costs">
      <CardHeader>
        <CardTitle id="run-costs">Per training run</CardTitle>
        <CardDescription>
          {o.runs_in_month
            ? `${o.runs_in_month} run${o.runs_in_month === 1 ? '' : 's'} finished in ${monthLabel(o.month)}, ${formatUsd(o.runs_total_usd)} in all${o.runs_in_month > o.per_run.length ? `; the ${o.per_run.length} most recent` : ''}. Instance time at SageMaker prices (local runs as ml.m5.large).`
            : `No training run finished in ${monthLabel(o.month)}.`}
        </CardDescription>
      </CardHeader>
      {o.per_run.length ? (
        <Table containerClassName="max-h-[360px]">
          <THead>
            <TR>
              <TH>Run</TH>
              <TH className="hidden sm:table-cell">Instance</TH>
              <TH numeric className="hidden sm:table-cell">Duration</TH>
              <TH numeric>Cost</TH>
            </TR>
          </THead>
          <TBody>
            {o.per_run.map((r) => (
              <TR key={r.run_id}>
                <TD className="max-w-56">
                  <div className="flex items-center gap-2">
                    <Link href={`/runs/${r.run_id}`} className="truncate font-medium hover:underline">
                      #{r.run_number} {r.name}
                    </Link>
                    {r.status !== 'succeeded' ? <Badge variant={RUN_STATUS_VARIANT[r.status] ?? 'neutral'}>{r.status}</Badge> : null}
                  </div>
                </TD>
                <TD className="hidden font-mono text-xs sm:table-cell">{r.instance_type ?? 'ml.m5.large'}</TD>
                <TD numeric className="hidden sm:table-cell">{formatDuration(r.duration_ms)}</TD>
                <TD numeric className="font-medium">{formatUsd(r.cost_usd)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
    </Card>
  );
}

export function ModelVersionCostsCard({ overview: o }: { overview: CostOverview }) {
  return (
    <Card aria-labelledby="model-costs">
      <CardHeader>
        <CardTitle id="model-costs">Per model version</CardTitle>
        <CardDescription>Lifetime cost of the versions registered or serving in {monthLabel(o.month)}: the run that trained it, plus its share of inference while it served.</CardDescription>
      </CardHeader>
      {o.per_model_version.length ? (
        <Table containerClassName="max-h-[360px]">
          <THead>
            <TR>
              <TH>Version</TH>
              <TH numeric className="hidden sm:table-cell">Training</TH>
              <TH numeric className="hidden sm:table-cell">Serving</TH>
              <TH numeric>Total</TH>
            </TR>
          </THead>
          <TBody>
            {o.per_model_version.map((v) => (
              <TR key={v.model_version_id}>
                <TD>
                  <div className="flex items-center gap-2">
                    <Link href={`/models/${v.model_version_id}`} className="font-medium hover:underline">
                      {v.model} v{v.version}
                    </Link>
                    {v.serving.map((d) => (
                      <Badge key={d} variant="accent">{d}</Badge>
                    ))}
                  </div>
                </TD>
                <TD numeric className="hidden sm:table-cell">{formatUsd(v.training_usd)}</TD>
                <TD numeric className="hidden sm:table-cell">{formatUsd(v.inference_usd + v.data_transfer_usd)}</TD>
                <TD numeric className="font-medium">{formatUsd(v.total_usd)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        <Empty>No model version was registered or served in {monthLabel(o.month)}.</Empty>
      )}
    </Card>
  );
}

export function PredictionCostsCard({ overview: o }: { overview: CostOverview }) {
  return (
    <Card aria-labelledby="prediction-costs">
      <CardHeader>
        <CardTitle id="prediction-costs">Per 1,000 predictions</CardTitle>
        <CardDescription>Serving cost (inference instance-hours and response bytes) over the predictions each deployment answered in {monthLabel(o.month)}.</CardDescription>
      </CardHeader>
      {o.per_1000_predictions.length ? (
        <Table>
          <THead>
            <TR>
              <TH>Deployment</TH>
              <TH numeric>Predictions</TH>
              <TH numeric className="hidden sm:table-cell">Serving</TH>
              <TH numeric>Per 1,000</TH>
            </TR>
          </THead>
          <TBody>
            {o.per_1000_predictions.map((d) => (
              <TR key={d.deployment_id}>
                <TD className="font-medium">{d.deployment}</TD>
                <TD numeric>{formatInt(d.predictions)}</TD>
                <TD numeric className="hidden sm:table-cell">{formatUsd(d.serving_usd)}</TD>
                <TD numeric className="font-medium">{d.per_1000_usd === null ? <span className="font-normal text-muted-foreground">no predictions</span> : formatUsd(d.per_1000_usd)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
      <div className="grid gap-1 px-5 text-sm text-muted-foreground">
        {o.predictions_in_month ? (
          <p>
            All in — everything spent this month over {formatInt(o.predictions_in_month)} predictions:{' '}
            <span className="font-medium text-foreground">{formatUsd(o.all_in_per_1000_usd)}</span> per 1,000.
          </p>
        ) : (
          <p>No predictions recorded in {monthLabel(o.month)} yet: this appears once the prediction API has answered requests (send some with <code className="text-xs">npm run mlops -- traffic</code>).</p>
        )}
      </div>
    </Card>
  );
}
