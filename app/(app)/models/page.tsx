import type { Metadata } from 'next';
import Link from 'next/link';
import { Boxes } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { APPROVAL_LABELS, type ApprovalStatusName } from '@/lib/models';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { getGateThresholds } from '@/server/services/models/kpi-gate-settings';
import { listModels, type ModelSummary } from '@/server/services/models/read-models';
import { QueryTabs } from '../datasets/_components/query-tabs';
import { algorithmLabel, formatMetric } from '../runs/_components/run-status';
import { GatesSummary, ModelStatusBadge, ServingBadges } from './_components/model-badges';
import { KpiGatesCard } from './kpi-gates-card';

export const metadata: Metadata = { title: 'Models' };

const PAGE_SIZE = 25;
/** Short, readable URL values for the status tabs. */
const STATUS_PARAMS: Record<string, ApprovalStatusName> = { pending: 'PendingManualApproval', approved: 'Approved', rejected: 'Rejected' };
type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v.trim() : undefined);

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext();
  const isAdmin = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'settings:write');
  const sp = await searchParams;
  const statusParam = one(sp.status);
  const status = statusParam ? STATUS_PARAMS[statusParam] : undefined;
  const page = Math.max(1, Math.floor(Number(one(sp.page)) || 1));
  const [list, gates] = await Promise.all([listModels(ctx, { status, page, pageSize: PAGE_SIZE }), getGateThresholds(ctx)]);
  const all = Object.values(list.counts).reduce((a, b) => a + (b ?? 0), 0);
  const pageCount = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  const href = (s: string | undefined, p?: number) => {
    const qs = new URLSearchParams();
    if (s) qs.set('status', s);
    if (p && p > 1) qs.set('page', String(p));
    const q = qs.toString();
    return q ? `/models?${q}` : '/models';
  };
  const activeKey = status ? statusParam! : 'all';

  return (
    <>
      <PageHeader
        title="Models"
        description="Registered model versions, their KPI gates and approval status."
        meta={all ? <Badge variant="neutral">{all}</Badge> : undefined}
      />
      {all === 0 ? (
        <EmptyState
          icon={<Boxes />}
          title="No registered models yet"
          description="Register a finished run as a model version. Its KPI gates (accuracy, macro F1, per-class precision) are checked automatically, and an approver other than its trainer signs it off."
        >
          <Button asChild variant="outline">
            <Link href="/runs">Go to runs</Link>
          </Button>
        </EmptyState>
      ) : (
        <>
          <QueryTabs
            label="Model status"
            active={activeKey}
            items={[
              { key: 'all', label: 'All', href: href(undefined), count: all },
              { key: 'pending', label: APPROVAL_LABELS.PendingManualApproval, href: href('pending'), count: list.counts.PendingManualApproval ?? 0, countTone: list.counts.PendingManualApproval ? 'warning' : 'neutral' },
              { key: 'approved', label: APPROVAL_LABELS.Approved, href: href('approved'), count: list.counts.Approved ?? 0 },
              { key: 'rejected', label: APPROVAL_LABELS.Rejected, href: href('rejected'), count: list.counts.Rejected ?? 0 },
            ]}
          />
          {list.total === 0 ? (
            <EmptyState title={`No ${APPROVAL_LABELS[status!].toLowerCase()} versions`} description="Versions move between these tabs as approvers decide on them.">
              <Button asChild variant="outline">
                <Link href="/models">Show all versions</Link>
              </Button>
            </EmptyState>
          ) : (
            <>
              <ModelsTable models={list.models} />
              <Pagination className="mt-4" page={page} pageCount={pageCount} hrefForPage={(p) => href(status ? statusParam : undefined, p)} />
            </>
          )}
        </>
      )}
      <KpiGatesCard className="mt-8" thresholds={gates.thresholds} defaults={gates.defaults} canEdit={isAdmin} />
    </>
  );
}

function ModelsTable({ models }: { models: ModelSummary[] }) {
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-card shadow-xs">
      <Table aria-label="Model versions">
        <THead>
          <TR>
            <TH>Version</TH>
            <TH>Status</TH>
            <TH>KPI gates</TH>
            <TH numeric>Accuracy</TH>
            <TH numeric>Macro F1</TH>
            <TH className="hidden md:table-cell">Algorithm</TH>
            <TH className="hidden lg:table-cell">Run</TH>
            <TH className="hidden lg:table-cell">Dataset</TH>
            <TH className="hidden sm:table-cell">Registered</TH>
          </TR>
        </THead>
        <TBody>
          {models.map((m) => (
            <TR key={m.id}>
              <TD>
                <span className="flex flex-wrap items-center gap-2">
                  <Link href={`/models/${m.id}`} className="font-medium hover:underline">
                    <span className="font-mono">v{m.version}</span>
                    <span className="sr-only"> of {m.modelName}</span>
                  </Link>
                  <ServingBadges deployments={m.deployments} />
                </span>
              </TD>
              <TD><ModelStatusBadge status={m.status} /></TD>
              <TD className="whitespace-normal"><GatesSummary results={m.gateResults} /></TD>
              <TD numeric>{formatMetric(m.accuracy)}</TD>
              <TD numeric className="font-medium">{formatMetric(m.macroF1)}</TD>
              <TD className="hidden text-muted-foreground md:table-cell">{algorithmLabel(m.algorithm)}</TD>
              <TD className="hidden lg:table-cell">
                <Link href={`/runs/${m.run.number}`} className="font-mono text-[13px] hover:underline" title={m.run.name}>#{m.run.number}</Link>
              </TD>
              <TD className="hidden lg:table-cell">
                <Link href={`/datasets/${encodeURIComponent(m.datasetVersion.dataset.name)}/versions/${m.datasetVersion.id}`} className="font-mono text-[13px] hover:underline">
                  {m.datasetVersion.dataset.name} v{m.datasetVersion.version}
                </Link>
              </TD>
              <TD className="hidden text-muted-foreground sm:table-cell">
                <span className="block max-w-[14rem] truncate text-foreground">{m.registeredBy?.name || m.registeredBy?.email || 'system'}</span>
                <time dateTime={m.createdAt.toISOString()} title={formatDateTime(m.createdAt)} className="text-xs">{formatRelative(m.createdAt)}</time>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
