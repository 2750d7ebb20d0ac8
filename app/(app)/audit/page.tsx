import type { Metadata } from 'next';
import { ScrollText } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatDateTime } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { auditFacets, listAuditEvents } from '@/server/services/audit/list-audit-events';

export const metadata: Metadata = { title: 'Audit log' };

type Params = Record<string, string | undefined>;
const FILTERS = ['action', 'entityType', 'actor', 'q', 'from', 'to'] as const;

function hrefWith(params: Params, page: number) {
  const search = new URLSearchParams();
  for (const key of FILTERS) if (params[key]) search.set(key, params[key]!);
  search.set('page', String(page));
  return `/audit?${search}`;
}

function Change({ before, after }: { before: unknown; after: unknown }) {
  if (!before && !after) return null;
  return (
    <details className="mt-1 text-xs">
      <summary className="cursor-pointer text-muted-foreground">before / after</summary>
      <pre className="mt-1 overflow-x-auto rounded-md bg-subtle p-2 font-mono text-[11px]">{JSON.stringify({ before, after }, null, 2)}</pre>
    </details>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const ctx = await pageContext();
  const facets = await auditFacets(ctx);
  // Dates from the form are whole days (UTC): "to" includes the whole of its day.
  const query = {
    ...Object.fromEntries(FILTERS.map((k) => [k, params[k] || undefined])),
    from: params.from ? `${params.from}T00:00:00.000Z` : undefined,
    to: params.to ? `${params.to}T23:59:59.999Z` : undefined,
    page: params.page,
  };
  const result = await listAuditEvents(ctx, query).catch((error) => {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  });
  const filtered = FILTERS.some((k) => params[k]);
  return (
    <>
      <PageHeader title="Audit log" description="Every change, who made it and when. Append-only: the database refuses edits and deletions." />
      <form method="get" className="mb-4 grid gap-3 rounded-lg border border-border bg-card p-4 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter audit events">
        <div className="grid gap-1.5">
          <Label htmlFor="f-action">Action</Label>
          <Select id="f-action" name="action" defaultValue={params.action ?? ''}>
            <option value="">All actions</option>
            {facets.actions.map((a) => (
              <option key={a} value={a}>{a}</option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="f-entity">Entity</Label>
          <Select id="f-entity" name="entityType" defaultValue={params.entityType ?? ''}>
            <option value="">All entities</option>
            {facets.entityTypes.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="f-actor">Actor</Label>
          <Input id="f-actor" name="actor" placeholder="email or key" defaultValue={params.actor ?? ''} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="f-q">Text</Label>
          <Input id="f-q" name="q" placeholder="search summaries" defaultValue={params.q ?? ''} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="f-from">From</Label>
          <Input id="f-from" name="from" type="date" defaultValue={params.from ?? ''} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="f-to">To</Label>
          <Input id="f-to" name="to" type="date" defaultValue={params.to ?? ''} />
        </div>
        <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
          <Button type="submit" size="sm">Apply filters</Button>
          {filtered ? (
            <Button asChild size="sm" variant="ghost">
              <a href="/audit">Clear</a>
            </Button>
          ) : null}
        </div>
      </form>
      {'error' in result ? (
        <Callout variant="danger">{result.error}</Callout>
      ) : result.events.length === 0 ? (
        <EmptyState icon={<ScrollText />} title={filtered ? 'No events match these filters' : 'No events yet'} description={filtered ? 'Widen the filters or clear them.' : 'Changes made by anyone — people, API keys or the system — appear here as they happen.'} />
      ) : (
        <>
          <p className="mb-2 text-xs text-muted-foreground">{result.total.toLocaleString('en-US')} event{result.total === 1 ? '' : 's'}</p>
          <Table>
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>What happened</TH>
              </TR>
            </THead>
            <TBody>
              {result.events.map((e) => (
                <TR key={e.id}>
                  <TD className="whitespace-nowrap text-muted-foreground">{formatDateTime(e.at)}</TD>
                  <TD className="max-w-56 truncate" title={e.actorLabel}>{e.actorLabel}</TD>
                  <TD><Badge variant="outline" className="font-mono">{e.action}</Badge></TD>
                  <TD>
                    {e.summary}
                    <Change before={e.before} after={e.after} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination className="mt-4" page={result.page} pageCount={result.pageCount} hrefForPage={(p) => hrefWith(params, p)} />
        </>
      )}
    </>
  );
}
