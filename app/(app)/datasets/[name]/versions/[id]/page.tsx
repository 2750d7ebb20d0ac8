import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { PageHeader } from '@/components/ui/page-header';
import { formatInt, formatWeekRange } from '@/lib/datasets/format';
import { summariseChecks } from '@/lib/datasets/quality';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { loadVersion } from '../../../_components/load';
import { QueryTabs, type QueryTab } from '../../../_components/query-tabs';
import { QualityBadge, VersionStatusBadge } from '../../../_components/status-badges';
import { OverviewTab } from './overview-tab';
import { ProfileTab } from './profile-tab';
import { QualityTab } from './quality-tab';
import { RowsTab } from './rows-tab';

type Params = { name: string; id: string };
type Search = Record<string, string | string[] | undefined>;
type TabKey = 'overview' | 'quality' | 'profile' | 'rows';

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { id } = await params;
  const version = await loadVersion(id);
  return { title: `${version.dataset.name} ${version.version ? `v${version.version}` : 'import'}` };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function VersionPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const [{ name, id }, search, ctx] = await Promise.all([params, searchParams, pageContext()]);
  const version = await loadVersion(id);
  const base = `/datasets/${encodeURIComponent(version.dataset.name)}/versions/${version.id}`;
  // A version reached under another dataset's name: send people to its real address.
  if (decodeURIComponent(name) !== version.dataset.name) redirect(base);

  const isReady = version.status === 'ready';
  const available: TabKey[] = isReady ? ['overview', 'quality', 'profile', 'rows'] : ['overview', 'quality'];
  const requested = first(search.tab) as TabKey | undefined;
  const tab: TabKey = requested && available.includes(requested) ? requested : version.status === 'rejected' ? 'quality' : 'overview';
  const issues = version.qualityReport ? summariseChecks(version.qualityReport) : null;
  const labels: Record<TabKey, string> = { overview: 'Overview', quality: 'Quality', profile: 'Profile', rows: 'Rows' };
  const tabs: QueryTab[] = available.map((key) => ({
    key,
    label: labels[key],
    href: `${base}?tab=${key}`,
    ...(key === 'quality' && issues && issues.fail + issues.warn > 0
      ? { count: issues.fail + issues.warn, countTone: issues.fail ? ('danger' as const) : ('warning' as const) }
      : {}),
  }));
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'datasets:write');
  const rowSearch = Object.fromEntries(Object.entries(search).map(([k, v]) => [k, first(v)]));

  const summary = isReady
    ? `${formatInt(version.rowCount)} rows · ${formatInt(version.basketCount)} baskets · ${formatWeekRange(version.minWeek, version.maxWeek)}`
    : `Import attempt of ${version.sourceFiles.length} file${version.sourceFiles.length === 1 ? '' : 's'}`;

  return (
    <>
      <PageHeader
        breadcrumbs={[
          { label: 'Datasets', href: '/datasets' },
          { label: version.dataset.name, href: `/datasets/${encodeURIComponent(version.dataset.name)}` },
          { label: version.version ? `v${version.version}` : 'Import attempt' },
        ]}
        title={
          <>
            <span className="font-mono">{version.dataset.name}</span>{' '}
            <span className="text-muted-foreground">{version.version ? `v${version.version}` : 'import'}</span>
          </>
        }
        meta={
          <>
            {isReady ? null : <VersionStatusBadge status={version.status} />}
            {isReady && version.qualityReport ? <QualityBadge status={version.qualityReport.status} /> : null}
          </>
        }
        description={
          <>
            {summary}
            <span className="mt-0.5 block text-xs">
              {version.importedBy ? `Imported by ${version.importedBy.name || version.importedBy.email}` : 'Imported from the CLI'}{' '}
              <time dateTime={new Date(version.createdAt).toISOString()} title={formatDateTime(version.createdAt)}>
                {formatRelative(version.createdAt)}
              </time>
            </span>
          </>
        }
      />
      <QueryTabs items={tabs} active={tab} />
      {tab === 'overview' ? <OverviewTab version={version} canWrite={canWrite} /> : null}
      {tab === 'quality' ? <QualityTab version={version} /> : null}
      {tab === 'profile' ? <ProfileTab version={version} /> : null}
      {tab === 'rows' ? <RowsTab version={version} basePath={base} search={rowSearch} /> : null}
    </>
  );
}
