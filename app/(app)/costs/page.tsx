import type { Metadata } from 'next';
import Link from 'next/link';
import { ChevronLeft, ChevronRight, Download, Wallet } from 'lucide-react';
import { DailyCostsChart } from '@/components/charts/daily-costs-chart';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { prepareDailyCosts, shortDay } from '@/lib/charts/costs';
import { addDays, dayKey, DEFAULT_BUDGET_USD, formatUsd, monthLabel, monthOf, monthRange, MONTH_PATTERN, shiftMonth } from '@/lib/costs';
import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { getCostOverview } from '@/server/services/costs/get-cost-overview';
import { BudgetEditor } from './budget-editor';
import { BudgetSummary } from './budget-summary';
import { ModelVersionCostsCard, PredictionCostsCard, RunCostsCard } from './cost-tables';
import { InfraEstimateCard } from './infra-estimate-card';

export const metadata: Metadata = { title: 'Costs' };

type Search = Record<string, string | string[] | undefined>;

export default async function CostsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext();
  const now = new Date();
  const current = monthOf(now);
  const asked = (await searchParams).month;
  // A malformed ?month= shows this month rather than an error page: the links only ever write valid ones.
  const month = typeof asked === 'string' && MONTH_PATTERN.test(asked) ? asked : current;
  const overview = await getCostOverview(ctx, { month });
  const period = month === current ? 'current' : month < current ? 'past' : 'future';
  const isAdmin = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'settings:write');
  const prepared = prepareDailyCosts(overview.daily);
  const { end } = monthRange(month);
  const exportTo = period === 'current' ? dayKey(now) : addDays(dayKey(end), -1);
  const monthHref = (m: string) => (m === current ? '/costs' : `/costs?month=${m}`);

  return (
    <>
      <PageHeader
        title="Costs"
        description="What training, serving and storage cost, against the monthly budget."
        actions={
          <>
            <nav aria-label="Month" className="flex items-center gap-1">
              <Button asChild variant="ghost" size="icon" aria-label={`Previous month (${monthLabel(shiftMonth(month, -1))})`}>
                <Link href={monthHref(shiftMonth(month, -1))}>
                  <ChevronLeft aria-hidden="true" />
                </Link>
              </Button>
              <span className="min-w-32 text-center text-sm font-medium" aria-current="page">{monthLabel(month)}</span>
              {period === 'current' ? (
                <Button variant="ghost" size="icon" disabled aria-label="Next month (not yet)">
                  <ChevronRight aria-hidden="true" />
                </Button>
              ) : (
                <Button asChild variant="ghost" size="icon" aria-label={`Next month (${monthLabel(shiftMonth(month, 1))})`}>
                  <Link href={monthHref(shiftMonth(month, 1))}>
                    <ChevronRight aria-hidden="true" />
                  </Link>
                </Button>
              )}
            </nav>
            {overview.has_data ? (
              <Button asChild variant="outline">
                <a href={`/api/v1/costs/export?from=${month}-01&to=${exportTo}`} download>
                  <Download aria-hidden="true" />
                  Export CSV
                </a>
              </Button>
            ) : null}
          </>
        }
      />

      <div className="grid gap-6">
        {overview.source_status?.last_error ? (
          <Callout variant="warning" title="Cost Explorer could not be read">
            {overview.source_status.last_error} The cost model&apos;s figures are recorded meanwhile.
          </Callout>
        ) : null}

        <BudgetSummary
          overview={overview}
          period={period}
          now={now}
          editor={isAdmin ? <BudgetEditor key={overview.budget} budget={overview.budget} defaultUsd={DEFAULT_BUDGET_USD} /> : undefined}
        />

        {prepared.hasData ? (
          <Card aria-labelledby="daily-costs">
            <CardHeader>
              <CardTitle id="daily-costs">Cost per day</CardTitle>
              <CardDescription>
                By component, in US dollars
                {prepared.peak && prepared.peak.total > prepared.average * 1.2 ? `; the dearest day was ${shortDay(prepared.peak.day)} at ${formatUsd(prepared.peak.total)}` : ''}.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <DailyCostsChart prepared={prepared} />
            </CardContent>
          </Card>
        ) : (
          <EmptyState
            icon={<Wallet />}
            title={period === 'current' ? 'No costs recorded yet' : `No costs recorded in ${monthLabel(month)}`}
            description={
              period === 'future'
                ? 'This month has not started.'
                : 'Costs are computed from measured usage (run durations, inference uptime, stored bytes) with the AWS price list, or read from AWS Cost Explorer in AWS mode, and recorded every 10 minutes by the worker. They are shown per run, per model and per 1,000 predictions.'
            }
          >
            {period === 'current' ? (
              <Button asChild variant="outline">
                <Link href="/runs">Go to runs</Link>
              </Button>
            ) : (
              <Button asChild variant="outline">
                <Link href="/costs">Show this month</Link>
              </Button>
            )}
          </EmptyState>
        )}

        {overview.has_data ? (
          <div className="grid gap-6 lg:grid-cols-2">
            <RunCostsCard overview={overview} />
            <ModelVersionCostsCard overview={overview} />
          </div>
        ) : null}

        <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          {overview.has_data ? <PredictionCostsCard overview={overview} /> : null}
          <div className={overview.has_data ? '' : 'xl:col-span-2'}>
            <InfraEstimateCard overview={overview} />
          </div>
        </div>

        <details className="rounded-lg border border-border bg-card px-5 py-4 text-sm">
          <summary className="cursor-pointer font-medium">How these numbers are made</summary>
          <ul className="mt-3 grid list-disc gap-1.5 pl-5 text-muted-foreground">
            {overview.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
            <li>Training: each run&apos;s instance time at SageMaker&apos;s per-second price (one-minute minimum), counted on the day it finished.</li>
            <li>Inference: the prediction service&apos;s instance-hours (from its heartbeats) × one replica&apos;s share of an EKS node, split by the model version serving.</li>
            <li>Storage: bytes in storage, measured once a day, at S3 Standard per GB-month. Data transfer: about 600 bytes per response plus 150 per basket answered, at the price of data out.</li>
            <li>Control plane: the always-on part of the dev stack (EKS, NAT, load balancer, database, logs, nodes beyond inference), per hour since installation.</li>
            <li>Forecast: the month so far plus the hours left at the last week&apos;s cost per hour.</li>
          </ul>
        </details>
      </div>
    </>
  );
}
