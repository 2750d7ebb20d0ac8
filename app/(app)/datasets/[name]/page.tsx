import type { Metadata } from 'next';
import Link from 'next/link';
import { History, Upload } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatCompact, formatInt, formatWeekRange, shortHash } from '@/lib/datasets/format';
import { attemptMessage, isInProgress } from '@/lib/datasets/status';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { getRetrainSetting, listRetrainTemplateChoices } from '@/server/services/retrain/read-retrain-setting';
import { loadDataset, loadVersion } from '../_components/load';
import { QualityBadge, VersionStatusBadge } from '../_components/status-badges';
import { RetrainCard } from './retrain-card';

type Params = { name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

function When({ at }: { at: Date | string }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}

export default async function DatasetPage({ params }: { params: Promise<Params> }) {
  const name = decodeURIComponent((await params).name);
  const [ctx, dataset] = await Promise.all([pageContext(), loadDataset(name)]);
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'datasets:write');
  // Turning retraining on launches runs and registers models in the user's name.
  const canRetrain = canWrite && ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'runs:write') && roleCan(ctx.actor.role, 'models:register');
  const [retrain, retrainChoices] = await Promise.all([getRetrainSetting(ctx, dataset.id), canRetrain ? listRetrainTemplateChoices(ctx) : { runs: [], deployments: [] }]);
  const base = `/datasets/${encodeURIComponent(dataset.name)}`;
  const latest = dataset.versions[0] ?? null;
  const latestDetail = latest ? await loadVersion(latest.id) : null;
  const running = dataset.attempts.filter((a) => isInProgress(a.status));
  const finishedAttempts = dataset.attempts.filter((a) => !isInProgress(a.status));

  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: 'Datasets', href: '/datasets' }, { label: dataset.name }]}
        title={<span className="font-mono">{dataset.name}</span>}
        meta={latest ? <Badge variant="outline">latest v{latest.version}</Badge> : <Badge variant="neutral">no ready version</Badge>}
        description={
          <>
            {dataset.description ? <span className="block text-foreground/80">{dataset.description}</span> : null}
            <span className="mt-1 block text-xs">
              Created {dataset.createdBy ? `by ${dataset.createdBy} ` : ''}
              <When at={dataset.createdAt} />
            </span>
          </>
        }
        actions={
          canWrite ? (
            <Button asChild>
              <Link href={`/datasets/import?dataset=${encodeURIComponent(dataset.name)}`}>
                <Upload aria-hidden="true" />
                Import new version
              </Link>
            </Button>
          ) : null
        }
      />

      {running.length ? (
        <Callout variant="info" title={running.length === 1 ? 'An import is in progress' : `${running.length} imports are in progress`} className="mb-6">
          {running.map((a, i) => (
            <span key={a.id}>
              {i ? ' · ' : ''}
              <Link href={`${base}/versions/${a.id}`}>
                Started <When at={a.createdAt} />
                {a.importedBy ? ` by ${a.importedBy.email}` : ''}
              </Link>
            </span>
          ))}
        </Callout>
      ) : null}

      {latest ? (
        <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
          <Stat label="Rows" value={formatCompact(latest.rowCount)} hint={`${formatInt(latest.rowCount)} in v${latest.version}`} />
          <Stat label="Baskets" value={formatCompact(latest.basketCount)} hint={`${formatCompact(latest.customerCount)} customers`} />
          <Stat label="Weeks" value={formatInt(latestDetail?.profile?.counts.weeks)} hint={formatWeekRange(latest.minWeek, latest.maxWeek)} />
          <Stat label="Versions" value={dataset.versions.length} hint={`last ready ${formatRelative(latest.completedAt ?? latest.createdAt)}`} />
        </div>
      ) : null}

      <Card className="pb-0">
        <CardHeader>
          <CardTitle>Versions</CardTitle>
          <CardDescription>
            Immutable and content-hashed. Refer to one as <code className="font-mono text-xs">{dataset.name}@N</code> in the CLI and API.
          </CardDescription>
        </CardHeader>
        {dataset.versions.length === 0 ? (
          <CardContent className="pb-5">
            <EmptyState
              as="h3"
              icon={<History />}
              title="No ready version yet"
              description={dataset.attempts.length ? 'Every import so far was rejected, failed or is still running; see the attempts below.' : 'Import files to create version 1.'}
              className="py-8"
            />
          </CardContent>
        ) : (
          <Table containerClassName="border-t border-border">
            <THead>
              <TR>
                <TH>Version</TH>
                <TH>Quality</TH>
                <TH numeric>Rows</TH>
                <TH numeric>Baskets</TH>
                <TH>Weeks</TH>
                <TH numeric>Files</TH>
                <TH>Content hash</TH>
                <TH>Imported by</TH>
                <TH>When</TH>
              </TR>
            </THead>
            <TBody>
              {dataset.versions.map((v, i) => {
                const status = v.qualityStatus;
                return (
                  <TR key={v.id}>
                    <TD>
                      <Link href={`${base}/versions/${v.id}`} className="font-mono font-medium hover:underline">
                        v{v.version}
                      </Link>
                      {i === 0 ? <Badge variant="accent" className="ml-2">latest</Badge> : null}
                    </TD>
                    <TD>{status ? <QualityBadge status={status} /> : <span className="text-muted-foreground">—</span>}</TD>
                    <TD numeric title={`${formatInt(v.rowCount)} rows`}>{formatCompact(v.rowCount)}</TD>
                    <TD numeric>{formatCompact(v.basketCount)}</TD>
                    <TD className="text-muted-foreground">{formatWeekRange(v.minWeek, v.maxWeek)}</TD>
                    <TD numeric>{v.sourceFiles.length}</TD>
                    <TD>
                      <code className="font-mono text-xs text-muted-foreground" title={v.contentHash ?? undefined}>
                        {shortHash(v.contentHash)}
                      </code>
                    </TD>
                    <TD className="max-w-48 truncate" title={v.importedBy?.email}>
                      {v.importedBy?.name || v.importedBy?.email || <span className="text-muted-foreground">CLI / system</span>}
                    </TD>
                    <TD className="text-muted-foreground">
                      <When at={v.completedAt ?? v.createdAt} />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      <RetrainCard setting={retrain} choices={retrainChoices} canEdit={canRetrain} className="mt-6" />

      {finishedAttempts.length ? (
        <details className="group mt-6 rounded-lg border border-border bg-card shadow-xs" open={dataset.versions.length === 0}>
          <summary className="flex cursor-pointer list-none items-center justify-between gap-3 rounded-lg px-5 py-3.5 text-sm font-semibold hover:bg-subtle focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none [&::-webkit-details-marker]:hidden">
            <span>
              Recent import attempts <span className="ml-1 rounded-full bg-muted px-1.5 py-px text-xs font-normal text-muted-foreground tabular-nums">{finishedAttempts.length}</span>
            </span>
            <span className="text-xs font-normal text-muted-foreground group-open:hidden">Rejected, failed or cancelled · show</span>
            <span className="hidden text-xs font-normal text-muted-foreground group-open:inline">hide</span>
          </summary>
          <ul className="divide-y divide-border border-t border-border">
            {finishedAttempts.map((a) => (
              <li key={a.id} className="flex flex-col gap-2 px-5 py-3 sm:flex-row sm:items-start sm:gap-4">
                <div className="flex shrink-0 items-center gap-2 sm:w-32">
                  <VersionStatusBadge status={a.status} />
                </div>
                <div className="min-w-0 flex-1 text-sm">
                  <p className="line-clamp-2 break-words" title={a.errorMessage ?? undefined}>
                    {attemptMessage(a.errorMessage) ?? 'No message recorded.'}
                  </p>
                  <p className="mt-0.5 text-xs text-muted-foreground">
                    {a.sourceFiles.length} file{a.sourceFiles.length === 1 ? '' : 's'}
                    {a.importedBy ? ` · ${a.importedBy.email}` : ''} · <When at={a.createdAt} />
                  </p>
                </div>
                <Link href={`${base}/versions/${a.id}${a.status === 'rejected' ? '?tab=quality' : ''}`} className="shrink-0 text-sm font-medium text-primary-soft-foreground hover:underline">
                  Details<span className="sr-only"> of the {a.status} attempt</span>
                </Link>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
