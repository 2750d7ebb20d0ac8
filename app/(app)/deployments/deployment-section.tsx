import Link from 'next/link';
import { CircleAlert } from 'lucide-react';
import { DeploymentTimelineChart } from '@/components/charts/deployment-timeline-chart';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { Callout } from '@/components/ui/callout';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { servingTimeline } from '@/lib/charts/deployments';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import type { DeploymentDetail, DeploymentSummary, ServingInstance } from '@/server/services/deployments/read-deployments';
import { Detail, DetailList } from '../datasets/_components/detail-list';
import { ModelStatusBadge } from '../models/_components/model-badges';
import { formatMetric } from '../runs/_components/run-status';
import { RollbackButton } from './rollback-button';

const STATE_TONES: Record<string, BadgeVariant> = { serving: 'success', waiting: 'warning', error: 'danger' };

function servingState(instances: ServingInstance[]) {
  const live = instances.filter((i) => !i.stale);
  if (live.some((i) => i.state === 'error')) return { label: 'Error', tone: 'danger' as const };
  if (live.some((i) => i.state === 'serving')) return { label: 'Serving', tone: 'success' as const };
  if (live.length) return { label: 'Waiting', tone: 'warning' as const };
  return { label: 'No instance reporting', tone: 'neutral' as const };
}

function When({ at }: { at: Date | string }) {
  const d = new Date(at);
  return (
    <time dateTime={d.toISOString()} title={formatDateTime(d)}>
      {formatRelative(d)}
    </time>
  );
}

/** One deployment: what serves it and since when, its instances, which version served when, and its history. */
export function DeploymentSection({ summary, detail, canWrite, now }: { summary: DeploymentSummary; detail: DeploymentDetail; canWrite: boolean; now: Date }) {
  const name = summary.name;
  const current = summary.current;
  const state = servingState(summary.instances);
  const open = detail.events.find((e) => e.endedAt === null);
  const previous = open?.previousModelVersionId ? detail.events.find((e) => e.modelVersion.id === open.previousModelVersionId)?.modelVersion : null;
  const currentLabel = current ? `v${current.version}` : null;
  // "Roll back to this version": once per earlier version, on its newest row, if it may still serve.
  const rollbackRows = new Set<string>();
  const seen = new Set<string>();
  for (const e of detail.events) {
    const v = e.modelVersion;
    if (canWrite && v.id !== current?.id && v.status === 'Approved' && !seen.has(v.id)) rollbackRows.add(e.id);
    seen.add(v.id);
  }
  const timeline = servingTimeline(detail.events, now);

  return (
    <section aria-labelledby={`deployment-${name}`} className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle id={`deployment-${name}`} className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{name}</span>
            <Badge variant={state.tone} dot>{state.label}</Badge>
          </CardTitle>
          <CardDescription>Manifest revision {summary.revision}{summary.manifestUri ? <span className="hidden sm:inline"> · <span className="font-mono text-xs break-all">{summary.manifestUri}</span></span> : null}</CardDescription>
          {canWrite && previous ? (
            <CardAction>
              <RollbackButton deployment={name} target={`v${previous.version}`} current={currentLabel} />
            </CardAction>
          ) : null}
        </CardHeader>
        <CardContent className="grid gap-5">
          <DetailList className="sm:grid-cols-3">
            <Detail label="Serving">
              {current ? (
                <span className="flex flex-wrap items-center gap-2">
                  <Link href={`/models/${current.id}`} className="font-mono font-medium hover:underline">{current.modelName} v{current.version}</Link>
                  <span className="text-xs text-muted-foreground">accuracy {formatMetric(current.accuracy)}</span>
                </span>
              ) : (
                <span className="text-muted-foreground">nothing</span>
              )}
            </Detail>
            <Detail label="Since">{summary.currentSince ? <><When at={summary.currentSince} /> <span className="text-xs text-muted-foreground">({formatDateTime(summary.currentSince)})</span></> : '—'}</Detail>
            <Detail label="Last change" wide className="sm:col-span-1">
              {summary.lastChange ? (
                <span className="grid gap-0.5">
                  <span>{summary.lastChange.action === 'rollback' ? 'Rolled back' : 'Deployed'} by {summary.lastChange.actorLabel || 'unknown'}</span>
                  {summary.lastChange.comment ? <span className="text-xs text-muted-foreground">“{summary.lastChange.comment}”</span> : null}
                </span>
              ) : '—'}
            </Detail>
          </DetailList>
          {summary.servingError ? (
            <Callout variant="danger" title="The inference service refused the last manifest">
              {summary.servingError} It keeps serving the version it had.
            </Callout>
          ) : null}
          <Instances instances={summary.instances} currentVersion={current?.version ?? null} />
        </CardContent>
      </Card>

      {detail.events.length ? (
        <>
          <Card>
            <CardHeader>
              <CardTitle as="h3">Which version served when</CardTitle>
              <CardDescription>Each bar is a window in which a version served {name}.</CardDescription>
            </CardHeader>
            <CardContent>
              <DeploymentTimelineChart timeline={timeline} label={`Versions serving ${name} over time`} />
            </CardContent>
          </Card>
          <Card className="pb-0">
            <CardHeader>
              <CardTitle as="h3">History</CardTitle>
              <CardDescription>Every deploy and rollback of {name}, newest first.</CardDescription>
            </CardHeader>
            <Table aria-label={`History of ${name}`}>
              <THead>
                <TR>
                  <TH>Version</TH>
                  <TH>Action</TH>
                  <TH className="hidden md:table-cell">By</TH>
                  <TH>Started</TH>
                  <TH className="hidden sm:table-cell">Ended</TH>
                  <TH className="hidden lg:table-cell">Comment</TH>
                  {canWrite ? <TH><span className="sr-only">Actions</span></TH> : null}
                </TR>
              </THead>
              <TBody>
                {detail.events.map((e) => (
                  <TR key={e.id}>
                    <TD>
                      <span className="flex items-center gap-2">
                        <Link href={`/models/${e.modelVersion.id}`} className="font-mono font-medium hover:underline">v{e.modelVersion.version}</Link>
                        {e.modelVersion.status !== 'Approved' ? <ModelStatusBadge status={e.modelVersion.status} /> : null}
                      </span>
                    </TD>
                    <TD>{e.action === 'rollback' ? <Badge variant="warning">rollback</Badge> : <Badge variant="neutral">deploy</Badge>}</TD>
                    <TD className="hidden max-w-[12rem] truncate text-muted-foreground md:table-cell" title={e.actorLabel}>{e.actorLabel || '—'}</TD>
                    <TD className="text-muted-foreground"><When at={e.startedAt} /></TD>
                    <TD className="hidden text-muted-foreground sm:table-cell">{e.endedAt ? <When at={e.endedAt} /> : <Badge variant="success" dot>serving</Badge>}</TD>
                    <TD className="hidden max-w-[18rem] whitespace-normal text-muted-foreground lg:table-cell">{e.comment ?? ''}</TD>
                    {canWrite ? (
                      <TD className="text-right">
                        {rollbackRows.has(e.id) ? <RollbackButton deployment={name} target={`v${e.modelVersion.version}`} current={currentLabel} to={e.modelVersion.id} compact /> : null}
                      </TD>
                    ) : null}
                  </TR>
                ))}
              </TBody>
            </Table>
          </Card>
        </>
      ) : null}
    </section>
  );
}

function Instances({ instances, currentVersion }: { instances: ServingInstance[]; currentVersion: number | null }) {
  if (!instances.length) {
    return <p className="text-sm text-muted-foreground">No inference instance has reported for this deployment. Start the inference service (it starts with <code className="font-mono">mlops up</code>) and it appears here within 30 seconds.</p>;
  }
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">Instances</h3>
      <ul className="grid gap-2" aria-label="Inference instances">
        {instances.map((i) => {
          const switching = !i.stale && i.state === 'serving' && currentVersion !== null && i.model?.version !== currentVersion;
          return (
            <li key={i.instanceId} className={cn('grid gap-1 rounded-lg border border-border px-3 py-2 text-sm', i.stale && 'opacity-55')}>
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="font-mono text-[13px] font-medium">{i.instanceId}</span>
                {i.stale ? <Badge variant="neutral">gone</Badge> : <Badge variant={STATE_TONES[i.state] ?? 'neutral'} dot>{i.state}</Badge>}
                {i.model ? <span className="font-mono text-xs">v{i.model.version}</span> : <span className="text-xs text-muted-foreground">no model loaded</span>}
                {switching ? <Badge variant="warning">switching to v{currentVersion}…</Badge> : null}
                <span className="min-w-0 truncate font-mono text-xs text-muted-foreground">{i.url}</span>
                <span className="ml-auto text-xs text-muted-foreground">reported <When at={i.reportedAt} /></span>
              </div>
              {i.lastError && (i.state === 'error' || !i.stale) ? (
                <p className={cn('flex items-start gap-1.5 text-xs', i.state === 'error' ? 'text-danger-soft-foreground' : 'text-muted-foreground')}>
                  <CircleAlert className="mt-px size-3.5 shrink-0" aria-hidden="true" />
                  <span>{i.lastError.message} <span className="text-muted-foreground">(<When at={i.lastError.at} />)</span></span>
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
