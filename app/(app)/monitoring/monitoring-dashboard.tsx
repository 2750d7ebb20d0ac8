'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { Activity, CloudOff, MessageSquareText, Timer } from 'lucide-react';
import { ClassMixChart, ErrorRateChart, LatencyChart, LiveAccuracyChart, RequestsChart } from '@/components/charts/monitoring-charts';
import { Callout } from '@/components/ui/callout';
import { CodeBlock } from '@/components/ui/code-block';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { Stat } from '@/components/ui/stat';
import { sourceText, statTiles } from '@/lib/charts/monitoring';
import { METRIC_RANGES, RANGE_LABELS, refreshMsFor, type DeploymentMetrics, type MetricRange } from '@/lib/monitoring';
import { cn } from '@/lib/utils';

async function fetchMetrics(deployment: string, range: MetricRange): Promise<DeploymentMetrics> {
  const res = await fetch(`/api/v1/metrics?${new URLSearchParams({ deployment, range })}`, { cache: 'no-store' });
  if (!res.ok) {
    // The API's own message (a CloudWatch failure names CloudWatch) when it sent one.
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  return (await res.json()) as DeploymentMetrics;
}

/** `initial` is null when the server's first read failed (a CloudWatch error): `initialError` says why. */
type Props = { deployments: { name: string; version: number | null }[]; deployment: string; range: MetricRange; initial: DeploymentMetrics | null; initialError?: string | null };

/**
 * The Monitoring page, live: the selected deployment's metrics are read again every
 * 10 s, or, once the range has traffic, every minute / 5 minutes for the week / 30
 * days (refreshMsFor; TanStack Query against GET /api/v1/metrics). Deployment and range live in
 * the URL, so a view can be shared and the server renders it first.
 */
export function MonitoringDashboard({ deployments, deployment, range, initial, initialError = null }: Props) {
  const router = useRouter();
  const [pending, startTransition] = React.useTransition();
  const { data: m, error, dataUpdatedAt } = useQuery({
    queryKey: ['metrics', deployment, range],
    queryFn: () => fetchMetrics(deployment, range),
    initialData: initial ?? undefined,
    initialDataUpdatedAt: initial ? Date.parse(initial.range.to) : undefined,
    staleTime: 0,
    refetchInterval: (query) => refreshMsFor(range, query.state.data),
  });
  const go = (next: { deployment?: string; range?: MetricRange }) =>
    startTransition(() => router.push(`/monitoring?${new URLSearchParams({ deployment: next.deployment ?? deployment, range: next.range ?? range })}`, { scroll: false }));

  const refreshMs = refreshMsFor(range, m);
  const every = refreshMs < 60_000 ? `${refreshMs / 1000} s` : refreshMs === 60_000 ? 'minute' : `${refreshMs / 60_000} minutes`;
  const serving = deployments.find((d) => d.name === deployment)?.version;
  const updated = m ? new Date(dataUpdatedAt).toISOString().slice(11, 19) : null;
  const failure = error?.message ?? (m ? null : initialError);
  const source = m ? sourceText(m) : null;
  return (
    <div className={cn('grid gap-6 transition-opacity', pending && 'opacity-60')} aria-busy={pending}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-wrap items-end gap-4">
          <div className="grid gap-1.5">
            <Label htmlFor="monitoring-deployment">Deployment</Label>
            <Select id="monitoring-deployment" value={deployment} onChange={(e) => go({ deployment: e.target.value })} containerClassName="w-56">
              {deployments.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name}
                  {d.version ? ` (v${d.version})` : ' (nothing deployed)'}
                </option>
              ))}
            </Select>
          </div>
          <div className="grid gap-1.5">
            <span id="monitoring-range" className="text-sm font-medium">Time range</span>
            <div role="group" aria-labelledby="monitoring-range" className="inline-flex h-9 rounded-lg border border-input bg-card p-0.5 shadow-xs">
              {METRIC_RANGES.map((r) => (
                <button
                  key={r}
                  type="button"
                  aria-pressed={r === range}
                  onClick={() => go({ range: r })}
                  className={cn(
                    'rounded-md px-2.5 text-[13px] font-medium sm:px-3 sm:text-sm text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring',
                    r === range && 'bg-primary-soft text-primary-soft-foreground',
                  )}
                >
                  {RANGE_LABELS[r]}
                </button>
              ))}
            </div>
          </div>
        </div>
        <p className="text-xs text-muted-foreground" aria-live="polite">
          {source ? <span title={source.title}>{source.line} · </span> : null}
          {serving ? `Serving v${serving} · ` : ''}
          {updated ? `updated ${updated} UTC · ` : ''}refreshes every {every}
        </p>
      </div>

      {m && failure ? <Callout variant="warning" title="Could not refresh">The last update failed ({failure}); showing the metrics from {updated} UTC. Retrying every {every}.</Callout> : null}

      {m ? (
        <MetricsView m={m} deployment={deployment} />
      ) : failure ? (
        <EmptyState
          icon={<CloudOff />}
          title="Metrics could not be read"
          description={`${failure} Retrying every ${every}; drift and alerts below come from the control plane's database and are unaffected.`}
        />
      ) : (
        <p className="py-16 text-center text-sm text-muted-foreground">Loading metrics…</p>
      )}
    </div>
  );
}

function MetricsView({ m, deployment }: { m: DeploymentMetrics; deployment: string }) {
  const tiles = statTiles(m);
  const text = sourceText(m);
  return (
    <>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat label="Requests" value={tiles.requests.value} hint={tiles.requests.hint} />
        <Stat label="Error rate" value={tiles.errorRate.value} hint={tiles.errorRate.hint} />
        <Stat label="p95 latency" value={tiles.p95.value} hint={tiles.p95.hint} trend={tiles.p95.trend} />
        <Stat label="Live accuracy" value={tiles.accuracy.value} hint={tiles.accuracy.hint} trend={tiles.accuracy.trend} />
      </div>

      {m.empty.traffic ? (
        <EmptyState
          icon={<Activity />}
          title={m.offline ? 'No traffic yet' : 'Nothing is deployed here'}
          description={
            m.offline
              ? `${m.empty.traffic} Charts fill within about 15 seconds of the first requests. To see them now, replay baskets from the dataset against the prediction API:`
              : `${m.empty.traffic} Deploy an approved model to ${deployment} from the Models page; its traffic shows here.`
          }
        >
          {m.offline ? <CodeBlock code={`npm run -s mlops -- traffic --deployment ${deployment} --rps 20 --duration 60`} prompt className="w-full max-w-2xl text-left" /> : null}
        </EmptyState>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          <ChartCard title="Requests per second" description="Calls to POST /v1/predict, any status.">
            <RequestsChart metrics={m} />
          </ChartCard>
          <ChartCard title="Latency" description={text.latency}>
            {m.empty.latency ? (
              <EmptyState as="h3" icon={<Timer />} title="Latency percentiles unavailable" description={m.empty.latency} className="border-none py-8" />
            ) : (
              <LatencyChart metrics={m} />
            )}
          </ChartCard>
          <ChartCard title={text.errorsTitle} description={text.errors}>
            {m.errors ? <ErrorRateChart metrics={m} /> : <p className="py-16 text-center text-sm text-muted-foreground">No errors in this range.</p>}
          </ChartCard>
          <ChartCard title="Predictions by class" description="Baskets predicted per bucket, stacked by predicted label.">
            <ClassMixChart metrics={m} />
          </ChartCard>
        </div>
      )}

      <ChartCard
        title="Live accuracy"
        description={
          m.offline?.accuracy != null
            ? `Accuracy and macro F1 of predictions whose true label came back through POST /v1/feedback, by when it came; bars: how many. Dashed blue: the offline test accuracy of v${m.offline.version}.`
            : 'Accuracy and macro F1 of predictions whose true label came back through POST /v1/feedback, by when it came; bars: how many.'
        }
      >
        {m.empty.feedback ? (
          <EmptyState
            as="h3"
            icon={<MessageSquareText />}
            title="No feedback yet"
            description={`${m.empty.feedback} Callers send the true label of an earlier prediction with its request id; the traffic command sends it for 20% of answers (--feedback).`}
            className="border-none py-8"
          />
        ) : (
          <LiveAccuracyChart metrics={m} />
        )}
      </ChartCard>
    </>
  );
}

function ChartCard({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}
