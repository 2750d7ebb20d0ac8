import Link from 'next/link';
import { ChevronLeft, ChevronRight, ChevronsLeft, ChevronsRight, SearchX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { BASKET_LABELS, BASKET_TYPES, STORE_REGIONS } from '@/lib/datasets/codes';
import { formatInt, formatNumber, formatWeek } from '@/lib/datasets/format';
import { BROWSE_FILTERS, isEndAligned, pageLinks, rowRange, serviceQuery, type BrowseParams } from '@/lib/datasets/row-paging';
import { LABEL_STYLES } from '@/lib/charts/labels';
import { cn } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { browseRows } from '@/server/services/datasets/browse-rows';
import type { LoadedVersion } from '../../../_components/load';
import { LabelTag } from '../../../_components/status-badges';

type Row = Record<string, unknown>;

const text = (value: unknown) => (value === null || value === undefined || value === '' ? '' : String(value));

/** The columns shown, in reading order; the others (product hierarchy, segments…) are one API call away. */
const COLUMNS: { key: string; label: string; numeric?: boolean; cell?: (row: Row, basketHref: (id: string) => string) => React.ReactNode }[] = [
  { key: 'ROW_ID', label: 'Row', numeric: true, cell: (r) => <span className="text-muted-foreground">{text(r.ROW_ID)}</span> },
  { key: 'SHOP_WEEK', label: 'Week', cell: (r) => text(r.SHOP_WEEK) },
  { key: 'SHOP_DATE', label: 'Date', cell: (r) => text(r.SHOP_DATE) },
  { key: 'SHOP_HOUR', label: 'Hour', numeric: true, cell: (r) => text(r.SHOP_HOUR) },
  {
    key: 'BASKET_ID',
    label: 'Basket',
    cell: (r, basketHref) => (
      <Link href={basketHref(text(r.BASKET_ID))} className="font-mono text-xs hover:underline" title="Show only this basket">
        {text(r.BASKET_ID)}
      </Link>
    ),
  },
  { key: 'PROD_CODE', label: 'Product', cell: (r) => <span className="font-mono text-xs">{text(r.PROD_CODE)}</span> },
  { key: 'QUANTITY', label: 'Qty', numeric: true, cell: (r) => text(r.QUANTITY) },
  { key: 'SPEND', label: 'Spend', numeric: true, cell: (r) => (typeof r.SPEND === 'number' ? r.SPEND.toFixed(2) : text(r.SPEND)) },
  { key: 'BASKET_PRICE_SENSITIVITY', label: 'Label', cell: (r) => <LabelTag label={text(r.BASKET_PRICE_SENSITIVITY)} /> },
  { key: 'BASKET_TYPE', label: 'Basket type', cell: (r) => text(r.BASKET_TYPE) },
  { key: 'STORE_REGION', label: 'Region', cell: (r) => <span className="font-mono text-xs">{text(r.STORE_REGION)}</span> },
  { key: 'STORE_CODE', label: 'Store', cell: (r) => <span className="font-mono text-xs">{text(r.STORE_CODE)}</span> },
  { key: 'CUST_CODE', label: 'Customer', cell: (r) => (r.CUST_CODE ? <span className="font-mono text-xs">{text(r.CUST_CODE)}</span> : <span className="text-muted-foreground">—</span>) },
  { key: 'SOURCE_FILE', label: 'File', cell: (r) => <span className="font-mono text-xs text-muted-foreground">{text(r.SOURCE_FILE)}</span> },
];

function FilterSelect({ id, label, name, value, options, all }: { id: string; label: string; name: string; value?: string; options: readonly { value: string; label: string }[]; all: string }) {
  return (
    <div className="grid min-w-0 gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

function PagerLink({ href, label, icon, rel }: { href: string | null; label: string; icon: React.ReactNode; rel?: string }) {
  const cls = 'inline-flex h-8 items-center gap-1 rounded-md px-2 text-sm font-medium transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none';
  if (!href) {
    return (
      <span aria-disabled="true" className={cn(cls, 'cursor-not-allowed text-muted-foreground opacity-50')}>
        {icon}
        <span className="hidden sm:inline">{label}</span>
        <span className="sr-only sm:hidden">{label}</span>
      </span>
    );
  }
  return (
    <Link href={href} rel={rel} scroll={false} className={cn(cls, 'hover:bg-muted')}>
      {icon}
      <span className="hidden sm:inline">{label}</span>
      <span className="sr-only sm:hidden">{label}</span>
    </Link>
  );
}

export async function RowsTab({ version, basePath, search }: { version: LoadedVersion; basePath: string; search: BrowseParams }) {
  const ctx = await pageContext();
  const result = await browseRows(ctx, version.id, serviceQuery(search)).catch((error: unknown) => {
    if (error instanceof AppError && (error.code === 'VALIDATION' || error.code === 'CONFLICT')) return { error: error.message };
    throw error;
  });
  const weeks = (version.profile?.weekly ?? []).map((w) => w.week).sort((a, b) => a - b);
  const weekOptions = weeks.map((w) => ({ value: String(w), label: formatWeek(w) }));
  const filtered = BROWSE_FILTERS.some((k) => search[k]);
  const tabHref = `${basePath}?tab=rows`;
  const keep = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ tab: 'rows' });
    for (const k of BROWSE_FILTERS) if (search[k] && !(k in extra)) params.set(k, search[k]!);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `${basePath}?${params}`;
  };

  return (
    <div className="grid gap-4">
      <form method="get" action={basePath} aria-label="Filter rows" className="grid grid-cols-2 gap-3 rounded-lg border border-border bg-card p-4 shadow-xs sm:grid-cols-3 xl:grid-cols-[repeat(4,minmax(0,1fr))_minmax(0,1.5fr)_minmax(0,1.3fr)]">
        <input type="hidden" name="tab" value="rows" />
        <FilterSelect id="rows-week-from" label="Week from" name="weekFrom" value={search.weekFrom} options={weekOptions} all="First week" />
        <FilterSelect id="rows-week-to" label="Week to" name="weekTo" value={search.weekTo} options={weekOptions} all="Last week" />
        <FilterSelect id="rows-region" label="Store region" name="region" value={search.region} options={STORE_REGIONS.map((r) => ({ value: r, label: r }))} all="All regions" />
        <FilterSelect id="rows-type" label="Basket type" name="basketType" value={search.basketType} options={BASKET_TYPES.map((t) => ({ value: t, label: t }))} all="All types" />
        <FilterSelect
          id="rows-label"
          label="Label"
          name="label"
          value={search.label}
          options={BASKET_LABELS.map((l) => ({ value: l, label: `${l} — ${LABEL_STYLES[l].name.toLowerCase()}` }))}
          all="All labels"
        />
        <div className="grid min-w-0 gap-1.5">
          <Label htmlFor="rows-basket">Basket id</Label>
          <Input id="rows-basket" name="basketId" inputMode="numeric" autoComplete="off" placeholder="e.g. 994100100532898" defaultValue={search.basketId ?? ''} className="font-mono" />
        </div>
        <div className="col-span-2 flex flex-wrap items-center gap-2 sm:col-span-3 xl:col-span-6">
          <Button type="submit" size="sm">
            Apply filters
          </Button>
          {filtered ? (
            <Button asChild size="sm" variant="ghost">
              <Link href={tabHref}>Clear</Link>
            </Button>
          ) : null}
        </div>
      </form>

      {'error' in result ? (
        <Callout variant="danger" title="These filters cannot be applied">
          {result.error}
        </Callout>
      ) : result.rows.length === 0 ? (
        <EmptyState
          icon={<SearchX />}
          title="No rows match"
          description={filtered ? 'No row of this version satisfies all these filters at once. Widen or clear them.' : 'This version has no rows.'}
        >
          {filtered ? (
            <Button asChild variant="outline" size="sm">
              <Link href={tabHref}>Clear filters</Link>
            </Button>
          ) : null}
        </EmptyState>
      ) : (
        <RowsTable result={result} search={search} basePath={basePath} keep={keep} />
      )}
    </div>
  );
}

type BrowseResult = Awaited<ReturnType<typeof browseRows>>;

function RowsTable({ result, search, basePath, keep }: { result: BrowseResult; search: BrowseParams; basePath: string; keep: (extra: Record<string, string>) => string }) {
  const page = { ...result, rowCount: result.rows.length, firstRowId: result.firstRowId === null ? null : Number(result.firstRowId), lastRowId: result.lastRowId === null ? null : Number(result.lastRowId) };
  const endAligned = isEndAligned(search);
  const range = rowRange(page, endAligned);
  const links = pageLinks(basePath, search, page, { tab: 'rows' });
  const summary = (
    <p className="text-[13px] text-muted-foreground tabular-nums" data-testid="rows-summary">
      {range ? (
        <>
          Rows <span className="font-medium text-foreground">{formatInt(range.from)}–{formatInt(range.to)}</span> of{' '}
          <span className="font-medium text-foreground">{formatInt(result.total)}</span>
        </>
      ) : null}
      <span className="ml-2 text-xs" title="Query time on the server">
        · {formatNumber(result.queryMs, 0)} ms
      </span>
    </p>
  );
  return (
    <div className="grid gap-3">
      <div className="overflow-hidden rounded-lg border border-border bg-card shadow-xs">
        <Table containerClassName="max-h-[min(70vh,720px)]">
          <caption className="sr-only">Rows of this version{range ? `, ${range.from} to ${range.to} of ${result.total}` : ''}</caption>
          <THead>
            <TR>
              {COLUMNS.map((c) => (
                <TH key={c.key} numeric={c.numeric} title={c.key}>
                  {c.label}
                </TH>
              ))}
            </TR>
          </THead>
          <TBody>
            {result.rows.map((row) => (
              <TR key={text(row.ROW_ID)}>
                {COLUMNS.map((c) => (
                  <TD key={c.key} numeric={c.numeric} className="py-2">
                    {c.cell ? c.cell(row, (id) => keep({ basketId: id })) : text(row[c.key])}
                  </TD>
                ))}
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <nav aria-label="Rows pagination" className="flex flex-wrap items-center justify-between gap-2">
        {summary}
        <ul className="flex items-center gap-1">
          <li>
            <PagerLink href={links.first} label="First" icon={<ChevronsLeft className="size-4" aria-hidden="true" />} />
          </li>
          <li>
            <PagerLink href={links.previous} label="Previous" rel="prev" icon={<ChevronLeft className="size-4" aria-hidden="true" />} />
          </li>
          <li className="px-1 text-xs text-muted-foreground tabular-nums">
            {formatInt(result.page)} / {formatInt(result.pageCount)}
          </li>
          <li>
            <PagerLink href={links.next} label="Next" rel="next" icon={<ChevronRight className="size-4" aria-hidden="true" />} />
          </li>
          <li>
            <PagerLink href={links.last} label="Last" icon={<ChevronsRight className="size-4" aria-hidden="true" />} />
          </li>
        </ul>
      </nav>
    </div>
  );
}
