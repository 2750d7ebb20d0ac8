import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { gateSummary, modelTimeline } from '@/lib/charts/models';
import { formatInt } from '@/lib/datasets/format';
import { roleCan } from '@/lib/permissions';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { compareWithDeployed } from '@/server/services/models/read-models';
import { algorithmLabel, formatMetric } from '../../runs/_components/run-status';
import { ModelStatusBadge, ServingBadges } from '../_components/model-badges';
import { ApprovalPanel } from './approval-panel';
import { CompareSection } from './compare-section';
import { DeployPanel } from './deploy-panel';
import { GatesCard } from './gates-card';
import { LineageCard } from './lineage-card';
import { ModelTimeline } from './model-timeline';

export const metadata: Metadata = { title: 'Model version' };

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  let comparison;
  try {
    comparison = await compareWithDeployed(ctx, decodeURIComponent(id), 'production');
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const model = comparison.candidate;
  const role = ctx.actor.kind === 'user' ? ctx.actor.role : null;
  const canApprove = role !== null && roleCan(role, 'models:approve');
  const canDeploy = role !== null && roleCan(role, 'deployments:write');
  const me = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const label = `v${model.version}`;
  const gates = gateSummary(model.gateResults);
  const m = model.metrics;
  const pending = model.status === 'PendingManualApproval';
  // Approved, and this role cannot deploy: nothing to show beside the gates unless an override was recorded.
  const hasSide = pending || model.status === 'Rejected' || Boolean(model.overrideReason) || (model.status === 'Approved' && canDeploy);

  return (
    <>
      <ModelHeader model={model} />
      <div className="grid gap-6">
        {m ? (
          <section aria-label="Headline metrics" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat label="Accuracy" value={formatMetric(m.accuracy)} hint={`${formatInt(m.n_test)} test baskets`} />
            <Stat label="Macro F1" value={formatMetric(m.macro_f1)} hint="mean of per-class F1" />
            <Stat label="Weighted F1" value={formatMetric(m.weighted_f1)} hint="by class support" />
            <Stat label="Log loss" value={formatMetric(m.log_loss)} hint="lower is better" />
          </section>
        ) : null}

        <div className={cn('grid items-start gap-6', hasSide && 'lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]')}>
          <GatesCard results={model.gateResults} />
          {hasSide ? (
            <div className="grid gap-6">
              {pending && canApprove ? (
                <ApprovalPanel modelId={model.id} label={label} failedGates={gates.failed} trainedByMe={Boolean(me && model.run.createdById === me)} runNumber={model.run.number} />
              ) : null}
              {pending && !canApprove ? (
                <Card>
                  <CardHeader>
                    <CardTitle>Waiting for an approver</CardTitle>
                    <CardDescription>An approver other than the person who trained it decides whether {label} may be deployed.</CardDescription>
                  </CardHeader>
                </Card>
              ) : null}
              {model.status === 'Approved' && canDeploy ? <DeployPanel modelId={model.id} label={label} servingIn={model.deployments.map((d) => d.name)} /> : null}
              {model.status === 'Rejected' ? (
                <Card>
                  <CardHeader>
                    <CardTitle>Rejected</CardTitle>
                    <CardDescription>A rejected version cannot be deployed. Train and register a new one; the timeline says why this one was turned down.</CardDescription>
                  </CardHeader>
                </Card>
              ) : null}
              {model.overrideReason ? (
                <Card>
                  <CardHeader>
                    <CardTitle>Approved despite failed gates</CardTitle>
                  </CardHeader>
                  <CardContent className="text-sm whitespace-pre-line">{model.overrideReason}</CardContent>
                </Card>
              ) : null}
            </div>
          ) : null}
        </div>

        <CompareSection comparison={comparison} />

        <div className="grid items-start gap-6 lg:grid-cols-2">
          <ModelTimeline entries={modelTimeline(model.transitions, model.deploymentEvents)} />
          <LineageCard model={model} />
        </div>
      </div>
    </>
  );
}

function ModelHeader({ model }: { model: Awaited<ReturnType<typeof compareWithDeployed>>['candidate'] }) {
  const registeredBy = model.registeredBy?.name || model.registeredBy?.email || 'system';
  return (
    <PageHeader
      breadcrumbs={[{ label: 'Models', href: '/models' }, { label: `v${model.version}` }]}
      title={
        <>
          {model.modelName} <span className="font-mono">v{model.version}</span>
        </>
      }
      meta={
        <>
          <ModelStatusBadge status={model.status} />
          <ServingBadges deployments={model.deployments} />
        </>
      }
      description={
        <>
          {algorithmLabel(model.algorithm)} from run{' '}
          <Link href={`/runs/${model.run.number}`} className="font-mono hover:underline">#{model.run.number}</Link> on{' '}
          <Link href={`/datasets/${encodeURIComponent(model.datasetVersion.dataset.name)}/versions/${model.datasetVersion.id}`} className="font-mono hover:underline">
            {model.datasetVersion.dataset.name} v{model.datasetVersion.version}
          </Link>
          {' '}· registered by {registeredBy} <time dateTime={model.createdAt.toISOString()} title={formatDateTime(model.createdAt)}>{formatRelative(model.createdAt)}</time>
        </>
      }
    />
  );
}
