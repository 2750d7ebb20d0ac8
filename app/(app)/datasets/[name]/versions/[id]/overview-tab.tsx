import Link from 'next/link';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { Stat } from '@/components/ui/stat';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatBytes, formatCompact, formatDuration, formatInt, formatPercent, shortHash } from '@/lib/datasets/format';
import { attemptMessage, isInProgress } from '@/lib/datasets/status';
import { cn, formatDateTime } from '@/lib/utils';
import type { LoadedVersion } from '../../../_components/load';
import { Detail, DetailList } from '../../../_components/detail-list';
import { VersionStatusBadge } from '../../../_components/status-badges';
import { LiveProgress, type LiveVersion } from './live-progress';

const TERMINAL_TITLES: Record<string, string> = {
  rejected: 'Rejected by validation',
  failed: 'The import failed',
  cancelled: 'The import was cancelled',
};

function toLive(version: LoadedVersion): LiveVersion {
  return {
    id: version.id,
    status: version.status,
    stage: version.stage,
    progress: version.progress,
    createdAt: new Date(version.createdAt).toISOString(),
    errorMessage: version.errorMessage,
    sourceFiles: version.sourceFiles.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
  };
}

export function OverviewTab({ version, canWrite }: { version: LoadedVersion; canWrite: boolean }) {
  const counts = version.profile?.counts;
  const ref = `${version.dataset.name}@${version.version}`;
  const duration = version.completedAt ? new Date(version.completedAt).getTime() - new Date(version.createdAt).getTime() : null;
  const hasFileRows = version.sourceFiles.some((f) => f.rows !== undefined);
  return (
    <div className="grid gap-6">
      {isInProgress(version.status) ? <LiveProgress initial={toLive(version)} canCancel={canWrite} /> : null}

      {TERMINAL_TITLES[version.status] ? (
        <Callout variant={version.status === 'cancelled' ? 'info' : 'danger'} title={TERMINAL_TITLES[version.status]}>
          <p className="break-words">{attemptMessage(version.errorMessage) ?? 'No reason was recorded.'}</p>
          {version.status === 'rejected' ? (
            <p className="mt-1">
              <Link href={`/datasets/${encodeURIComponent(version.dataset.name)}/versions/${version.id}?tab=quality`}>See the quality report</Link> for each failing check with example rows. Nothing of this attempt was kept.
            </p>
          ) : null}
        </Callout>
      ) : null}

      {counts ? (
        <section aria-label="Key counts" className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
          <Stat label="Rows" value={formatCompact(counts.rows)} hint={formatInt(counts.rows)} />
          <Stat label="Baskets" value={formatCompact(counts.baskets)} hint={formatInt(counts.baskets)} />
          <Stat label="Labelled" value={formatCompact(counts.labelledBaskets)} hint={`${formatPercent(counts.baskets ? counts.labelledBaskets / counts.baskets : 0)} of baskets`} />
          <Stat label="Customers" value={formatCompact(counts.customers)} />
          <Stat label="Products" value={formatCompact(counts.products)} />
          <Stat label="Stores" value={formatCompact(counts.stores)} />
          <Stat label="Weeks" value={formatInt(counts.weeks)} hint={`${counts.firstDate} → ${counts.lastDate}`} className="col-span-2 sm:col-span-1" />
        </section>
      ) : null}

      <div className={cn('grid items-start gap-6', version.status === 'ready' && 'xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]')}>
        <Card>
          <CardHeader>
            <CardTitle>Lineage</CardTitle>
            <CardDescription>Where this version came from. The content hash is sha256 over the files’ sha256s: the same bytes always give the same hash.</CardDescription>
          </CardHeader>
          <CardContent>
            <DetailList>
              <Detail label="Dataset">
                <Link href={`/datasets/${encodeURIComponent(version.dataset.name)}`} className="font-mono font-medium hover:underline">
                  {version.dataset.name}
                </Link>
              </Detail>
              <Detail label="Version">{version.version ? <span className="font-mono">v{version.version}</span> : <span className="text-muted-foreground">none (not ready)</span>}</Detail>
              <Detail label="Status">
                <VersionStatusBadge status={version.status} />
              </Detail>
              <Detail label="Imported by">
                {version.importedBy ? (
                  <>
                    {version.importedBy.name ? `${version.importedBy.name} · ` : ''}
                    <span className="text-muted-foreground">{version.importedBy.email}</span>
                  </>
                ) : (
                  <span className="text-muted-foreground">CLI or system</span>
                )}
              </Detail>
              <Detail label="Content hash" wide>
                {version.contentHash ? (
                  <span className="flex min-w-0 items-center gap-2">
                    <code className="min-w-0 truncate font-mono text-xs" title={version.contentHash}>
                      {version.contentHash}
                    </code>
                    <CopyButton text={version.contentHash} iconOnly label="Copy content hash" />
                  </span>
                ) : (
                  <span className="text-muted-foreground">not computed (the upload did not finish)</span>
                )}
              </Detail>
              <Detail label="Started">{formatDateTime(version.createdAt)}</Detail>
              <Detail label="Finished">{version.completedAt ? formatDateTime(version.completedAt) : <span className="text-muted-foreground">not yet</span>}</Detail>
              <Detail label="Duration">{formatDuration(duration)}</Detail>
              <Detail label="Size">
                {formatBytes(version.totalBytes)} in {version.sourceFiles.length} file{version.sourceFiles.length === 1 ? '' : 's'}
              </Detail>
              {version.storagePrefix ? (
                <Detail label="Storage prefix" wide>
                  <span className="flex min-w-0 items-center gap-2">
                    <code className="min-w-0 truncate font-mono text-xs" title={version.storagePrefix}>
                      {version.storagePrefix}
                    </code>
                    <CopyButton text={version.storagePrefix} iconOnly label="Copy storage prefix" />
                  </span>
                </Detail>
              ) : null}
            </DetailList>
          </CardContent>
        </Card>

        {version.status === 'ready' ? (
          <Card>
            <CardHeader>
              <CardTitle>Use this version</CardTitle>
              <CardDescription>
                Refer to it as <code className="font-mono text-xs">{ref}</code>; it never changes.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3">
              <CodeBlock code={`npm run mlops -- data show ${ref}`} prompt />
              <CodeBlock code={`curl -H "Authorization: Bearer $KEY" \\\n  "$HOST/api/v1/datasets/versions/${version.id}/rows?label=LA"`} language="rows API" />
            </CardContent>
          </Card>
        ) : null}
      </div>

      <Card className="pb-0">
        <CardHeader>
          <CardTitle>Source files</CardTitle>
          <CardDescription>{version.status === 'ready' ? 'As uploaded; kept unchanged under raw/ in storage.' : 'As declared for this attempt. Nothing of an unfinished or refused import is kept.'}</CardDescription>
        </CardHeader>
        <Table containerClassName="max-h-[420px] border-t border-border">
          <THead>
            <TR>
              <TH>File</TH>
              <TH numeric>Size</TH>
              {hasFileRows ? <TH numeric>Rows</TH> : null}
              <TH>sha256</TH>
            </TR>
          </THead>
          <TBody>
            {version.sourceFiles.map((f) => (
              <TR key={f.name}>
                <TD className="font-mono text-[13px]">{f.name}</TD>
                <TD numeric>{formatBytes(f.bytes)}</TD>
                {hasFileRows ? <TD numeric>{formatInt(f.rows)}</TD> : null}
                <TD>
                  {f.sha256 ? (
                    <code className="font-mono text-xs text-muted-foreground" title={f.sha256}>
                      {shortHash(f.sha256)}
                    </code>
                  ) : (
                    <span className="text-xs text-muted-foreground">not received</span>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>
    </div>
  );
}
