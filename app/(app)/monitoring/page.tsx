import type { Metadata } from 'next';
import Link from 'next/link';
import { Activity } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { isMetricRange, type DeploymentMetrics, type MetricRange } from '@/lib/monitoring';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { listDeployments } from '@/server/services/deployments/read-deployments';
import { getDeploymentMetrics } from '@/server/services/monitoring/read-metrics';
import { DriftAndAlertsSlot } from './drift-and-alerts-slot';
import { MonitoringDashboard } from './monitoring-dashboard';

export const metadata: Metadata = { title: 'Monitoring' };

type Search = { deployment?: string | string[]; range?: string | string[] };

export default async function MonitoringPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext();
  const sp = await searchParams;
  const deployments = await listDeployments(ctx);
  const header = <PageHeader title="Monitoring" description="Traffic, latency, errors, class mix and real-world accuracy of deployed models." />;
  if (!deployments.length) {
    return (
      <>
        {header}
        <EmptyState
          icon={<Activity />}
          title="No deployment to monitor yet"
          description="Once a model is deployed and serves predictions, this page charts requests, latency percentiles, errors by status code, the predicted class mix and live accuracy from feedback labels."
        >
          <Button asChild variant="outline">
            <Link href="/deployments">Go to deployments</Link>
          </Button>
        </EmptyState>
      </>
    );
  }
  const asked = typeof sp.deployment === 'string' ? sp.deployment : undefined;
  // Production is listed first; an unknown name in the URL falls back to it.
  const deployment = deployments.find((d) => d.name === asked)?.name ?? deployments[0]!.name;
  const range: MetricRange = isMetricRange(sp.range) ? sp.range : '1h';
  // A failing metrics source (CloudWatch) is a state of the page, not an error page: the dashboard explains it and retries.
  let initial: DeploymentMetrics | null = null;
  let initialError: string | null = null;
  try {
    initial = await getDeploymentMetrics(ctx, { deployment, range });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'UPSTREAM')) throw error;
    initialError = error.message;
  }
  return (
    <>
      {header}
      <div className="grid gap-8">
        <MonitoringDashboard
          key={`${deployment}-${range}`}
          deployments={deployments.map((d) => ({ name: d.name, version: d.current?.version ?? null }))}
          deployment={deployment}
          range={range}
          initial={initial}
          initialError={initialError}
        />
        {/* Drift and alerts: another engineer's slot, given the same deployment and range. */}
        <DriftAndAlertsSlot deployment={deployment} range={range} />
      </div>
    </>
  );
}
