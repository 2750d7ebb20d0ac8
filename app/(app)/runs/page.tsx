import type { Metadata } from 'next';
import Link from 'next/link';
import { FlaskConical, Plus, SlidersHorizontal } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { Tooltip } from '@/components/ui/tooltip';
import { ALGORITHMS } from '@/ml/estimators';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { listDatasets } from '@/server/services/datasets/read-datasets';
import { listRuns } from '@/server/services/runs/read-runs';
import { RUN_STATUSES } from '@/server/services/runs/schemas';
import { listSweeps } from '@/server/services/runs/sweeps';
import { QueryTabs } from '../datasets/_components/query-tabs';
import { RunFiltersForm, type RunFilters } from './_components/filters';
import { algorithmLabel, RunStatusBadge } from './_components/run-status';
import { RunsTable, type SortField } from './_components/runs-table';
import type { RunList } from './_components/types';

export const metadata: Metadata = { title: 'Training runs' };

const PAGE_SIZE = 25;
const SORTS: SortField[] = ['createdAt', 'accuracy', 'macroF1', 'durationMs'];
type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 120) : undefined);

/** Only values the service accepts reach it: a hand-edited URL narrows nothing rather than failing. */
function readFilters(sp: Search) {
  const status = one(sp.status);
  const algorithm = one(sp.algorithm);
  const sort = one(sp.sort);
  return {
    status: status && (RUN_STATUSES as readonly string[]).includes(status) ? status : undefined,
    algorithm: algorithm && (ALGORITHMS as readonly string[]).includes(algorithm) ? algorithm : undefined,
    dataset: one(sp.dataset),
    tag: one(sp.tag)?.slice(0, 40),
    q: one(sp.q),
    sort: (sort && (SORTS as string[]).includes(sort) ? sort : 'createdAt') as SortField,
    order: one(sp.order) === 'asc' ? ('asc' as const) : ('desc' as const),
    page: Math.max(1, Math.floor(Number(one(sp.page)) || 1)),
  };
}

function toQuery(f: Record<string, string | number | undefined>) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') qs.set(k, String(v));
  return qs.toString();
}

function LaunchButtons({ canWrite }: { canWrite: boolean }) {
  if (canWrite) {
    return (
      <>
        <Button asChild variant="outline">
          <Link href="/runs/sweeps/new">
            <SlidersHorizontal aria-hidden="true" />
            New sweep
          </Link>
        </Button>
        <Button asChild>
          <Link href="/runs/new">
            <Plus aria-hidden="true" />
            New run
          </Link>
        </Button>
      </>
    );
  }
  // Viewers see why the buttons are off instead of wondering where they are.
  return (
    <Tooltip content="Your role can view runs but not launch them. Ask an admin for the ML engineer role.">
      <span tabIndex={0} className="inline-flex gap-2 rounded-lg" aria-label="Launching runs needs the ML engineer role">
        <Button variant="outline" disabled>New sweep</Button>
        <Button disabled>New run</Button>
      </span>
    </Tooltip>
  );
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext();
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'runs:write');
  const sp = await searchParams;
  const tab = one(sp.tab) === 'sweeps' ? 'sweeps' : 'runs';
  const f = readFilters(sp);
  const [list, sweeps, datasets] = await Promise.all([
    listRuns(ctx, { status: f.status, algorithm: f.algorithm, dataset: f.dataset, tag: f.tag, q: f.q, sort: f.sort, order: f.order, page: f.page, pageSize: PAGE_SIZE }),
    listSweeps(ctx),
    listDatasets(ctx),
  ]);
  const initial = JSON.parse(JSON.stringify(list)) as RunList;
  const base = { status: f.status, algorithm: f.algorithm, dataset: f.dataset, tag: f.tag, q: f.q };
  const apiQuery = toQuery({ ...base, sort: f.sort, order: f.order, page: f.page, pageSize: PAGE_SIZE });
  const href = (extra: Record<string, string | number | undefined>) => `/runs?${toQuery({ ...base, sort: f.sort === 'createdAt' ? undefined : f.sort, order: f.order === 'desc' ? undefined : f.order, ...extra })}`;
  const sortHref = Object.fromEntries(SORTS.map((s) => [s, href({ sort: s === 'createdAt' ? undefined : s, order: f.sort === s && f.order === 'desc' ? 'asc' : undefined, page: undefined })])) as Record<SortField, string>;
  const filtered = Boolean(f.status || f.algorithm || f.dataset || f.tag || f.q);
  const pageCount = Math.max(1, Math.ceil(list.total / PAGE_SIZE));

  return (
    <>
      <PageHeader
        title="Training runs"
        description="Launch, watch and compare training runs and sweeps."
        meta={<Badge variant="neutral">{list.total}</Badge>}
        actions={<LaunchButtons canWrite={canWrite} />}
      />
      <QueryTabs
        label="Runs sections"
        active={tab}
        items={[
          { key: 'runs', label: 'Runs', href: '/runs' },
          { key: 'sweeps', label: 'Sweeps', href: '/runs?tab=sweeps', count: sweeps.length },
        ]}
      />
      {tab === 'sweeps' ? (
        <SweepsTable sweeps={sweeps} canWrite={canWrite} />
      ) : list.total === 0 && !filtered ? (
        <EmptyState
          icon={<FlaskConical />}
          title="No training runs yet"
          description="A run trains one of the built-in classifiers (logistic regression, gradient boosting, random forest, decision tree) on a ready dataset version and records its metrics, curves and cost."
          command="npm run mlops -- runs launch --dataset demo --algorithm gbdt"
        >
          {canWrite ? (
            <Button asChild>
              <Link href="/runs/new">Launch the first run</Link>
            </Button>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <RunFiltersForm filters={{ ...base, sort: f.sort === 'createdAt' ? undefined : f.sort, order: f.order === 'desc' ? undefined : f.order } satisfies RunFilters} statuses={RUN_STATUSES} algorithms={ALGORITHMS} datasets={datasets.map((d) => d.name)} />
          {list.total === 0 ? (
            <EmptyState title="No runs match these filters" description="Loosen a filter or reset them all.">
              <Button asChild variant="outline">
                <Link href="/runs">Reset filters</Link>
              </Button>
            </EmptyState>
          ) : (
            <>
              <RunsTable key={apiQuery} initial={initial} query={apiQuery} sort={f.sort} order={f.order} sortHref={sortHref} />
              <Pagination className="mt-4" page={f.page} pageCount={pageCount} hrefForPage={(p) => href({ page: p === 1 ? undefined : p })} />
            </>
          )}
        </>
      )}
    </>
  );
}

type SweepRow = Awaited<ReturnType<typeof listSweeps>>[number];

function SweepsTable({ sweeps, canWrite }: { sweeps: SweepRow[]; canWrite: boolean }) {
  if (sweeps.length === 0) {
    return (
      <EmptyState icon={<SlidersHorizontal />} title="No sweeps yet" description="A sweep launches many runs over a grid or a random sample of parameters and points out the best one.">
        {canWrite ? (
          <Button asChild>
            <Link href="/runs/sweeps/new">Start a sweep</Link>
          </Button>
        ) : null}
      </EmptyState>
    );
  }
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-card shadow-xs">
      <Table>
        <THead>
          <TR>
            <TH>Sweep</TH>
            <TH>Status</TH>
            <TH className="hidden md:table-cell">Algorithm</TH>
            <TH className="hidden lg:table-cell">Dataset</TH>
            <TH numeric>Runs done</TH>
            <TH className="hidden sm:table-cell">Metric</TH>
            <TH className="hidden sm:table-cell">Created</TH>
          </TR>
        </THead>
        <TBody>
          {sweeps.map((s) => {
            const done = (s.counts.succeeded ?? 0) + (s.counts.failed ?? 0) + (s.counts.cancelled ?? 0);
            return (
              <TR key={s.id}>
                <TD className="max-w-[22rem] whitespace-normal">
                  <Link href={`/runs/sweeps/${s.id}`} className="font-medium hover:underline">{s.name}</Link>
                  <p className="text-xs text-muted-foreground">{s.strategy} · {s.concurrency} at a time</p>
                </TD>
                <TD><RunStatusBadge status={s.status} /></TD>
                <TD className="hidden text-muted-foreground md:table-cell">{algorithmLabel(s.algorithm)}</TD>
                <TD className="hidden font-mono text-[13px] lg:table-cell">{s.dataset}</TD>
                <TD numeric>{done} / {s.budget}</TD>
                <TD className="hidden font-mono text-[13px] sm:table-cell">{s.metric}</TD>
                <TD className="hidden text-muted-foreground sm:table-cell">
                  <time dateTime={new Date(s.createdAt).toISOString()} title={formatDateTime(s.createdAt)}>{formatRelative(s.createdAt)}</time>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
