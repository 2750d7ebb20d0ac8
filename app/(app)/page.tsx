import type { Metadata } from 'next';
import Link from 'next/link';
import { CheckCircle2, Circle } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { roleCan } from '@/lib/permissions';
import { cn, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { getOverview } from '@/server/services/overview/get-overview';
import { getProductionGlance } from '@/server/services/overview/get-production-glance';
import { OpenAlertsCard } from './open-alerts-card';
import { ProductionGlanceSection } from './production-glance';

export const metadata: Metadata = { title: 'Overview' };

const STEPS = [
  { key: 'datasets', href: '/datasets', title: 'Import a dataset', text: 'Bring in dunnhumby-format transaction files; they are validated, versioned and profiled.' },
  { key: 'runs', href: '/runs', title: 'Train a model', text: 'Launch runs and sweeps on a dataset version and compare them.' },
  { key: 'models', href: '/models', title: 'Register and approve', text: 'Register the best run; an approver signs it off against the KPI gates.' },
  { key: 'deployments', href: '/deployments', title: 'Deploy', text: 'Put an approved model behind the prediction API, roll back in one click.' },
] as const;

export default async function OverviewPage() {
  const ctx = await pageContext();
  const [{ counts, recentEvents, health }, glance] = await Promise.all([getOverview(ctx), getProductionGlance(ctx)]);
  // The lifecycle checklist is for those who can carry it out; a viewer (or an approver) gets the glance without it.
  const showGetStarted = ctx.actor.kind !== 'user' || roleCan(ctx.actor.role, 'runs:write');
  const checks = [
    { label: 'Database', ok: health.database.ok, detail: health.database.detail },
    { label: `Storage (${health.storage.kind})`, ok: health.storage.ok, detail: health.storage.detail },
    { label: 'Workers', ok: health.workers.ok, detail: health.workers.detail },
  ];
  return (
    <>
      <PageHeader title="Overview" description="Basket price-sensitivity models, from data to production, at a glance." />
      <ProductionGlanceSection glance={glance} />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Datasets" value={counts.datasets} />
        <Stat label="Training runs" value={counts.runs} />
        <Stat label="Registered models" value={counts.models} />
        <Stat label="Live deployments" value={counts.deployments} />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        {showGetStarted ? (
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>Get started</CardTitle>
              <CardDescription>The lifecycle this platform runs, step by step.</CardDescription>
            </CardHeader>
            <CardContent>
              <ol className="grid gap-3">
                {STEPS.map((step, i) => {
                  const done = counts[step.key] > 0;
                  return (
                    <li key={step.key} className="flex gap-3">
                      {done ? <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" aria-label="done" /> : <Circle className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-label="to do" />}
                      <div>
                        <Link href={step.href} className="font-medium hover:underline">
                          {i + 1}. {step.title}
                        </Link>
                        <p className="text-sm text-muted-foreground">{step.text}</p>
                      </div>
                    </li>
                  );
                })}
              </ol>
            </CardContent>
          </Card>
        ) : null}
        <Card className={cn(!showGetStarted && 'lg:col-span-3')}>
          <CardHeader>
            <CardTitle>System health</CardTitle>
            <CardDescription>Checked {formatRelative(health.checkedAt)}.</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className={cn('grid gap-3 text-sm', !showGetStarted && 'sm:grid-cols-3 sm:gap-6')}>
              {checks.map((c) => (
                <li key={c.label} className="flex items-start justify-between gap-3">
                  <div>
                    <div className="font-medium">{c.label}</div>
                    <div className="text-xs text-muted-foreground">{c.detail}</div>
                  </div>
                  <Badge variant={c.ok ? 'success' : 'warning'} dot>
                    {c.ok ? 'OK' : 'Attention'}
                  </Badge>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      </div>
      <OpenAlertsCard alerts={glance.alerts} />
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Recent activity</CardTitle>
          <CardDescription>
            From the append-only <Link href="/audit" className="underline">audit log</Link>.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {recentEvents.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>
          ) : (
            <ul className="divide-y divide-border text-sm">
              {recentEvents.map((e) => (
                <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
                  <span>{e.summary}</span>
                  <span className="text-xs text-muted-foreground">
                    {e.actorLabel} · {formatRelative(e.at)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </>
  );
}
