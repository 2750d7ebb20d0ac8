import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { ColumnRow } from '@/lib/charts/column-profile';
import { formatInt, formatPercent } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';

const TOP_SHOWN = 5;

type DateRange = { from: string; to: string };

function Distribution({ row, dateRange }: { row: ColumnRow; dateRange?: DateRange }) {
  if (row.stats) {
    return (
      <dl className="grid grid-cols-3 gap-x-4 gap-y-0.5 text-xs sm:grid-cols-6">
        {row.stats.map((s) => (
          <div key={s.label} className="min-w-0">
            <dt className="text-muted-foreground">{s.label}</dt>
            <dd className="font-medium tabular-nums">{s.value}</dd>
          </div>
        ))}
      </dl>
    );
  }
  if (row.top) {
    const shown = row.top.slice(0, TOP_SHOWN);
    const more = row.top.length - shown.length;
    return (
      <ul className="grid w-full max-w-md gap-1 text-xs" aria-label={`Most frequent values of ${row.name}`}>
        {shown.map((t) => (
          <li key={t.value} className="grid grid-cols-[minmax(0,7rem)_minmax(0,1fr)_3.5rem] items-center gap-2">
            <span className="truncate font-mono" title={t.value}>
              {t.value}
            </span>
            <span className="h-1.5 overflow-hidden rounded-full bg-muted" aria-hidden="true">
              <span className="block h-full rounded-full bg-primary/70" style={{ width: `${Math.max(2, t.width * 100)}%` }} />
            </span>
            <span className="text-right text-muted-foreground tabular-nums">{formatPercent(t.share)}</span>
          </li>
        ))}
        {more > 0 ? <li className="text-muted-foreground">+{more} more in the top {row.top.length}</li> : null}
      </ul>
    );
  }
  if (row.type === 'DATE' && dateRange) {
    return (
      <span className="text-xs tabular-nums">
        <span className="text-muted-foreground">from</span> {dateRange.from} <span className="text-muted-foreground">to</span> {dateRange.to}
      </span>
    );
  }
  return <span className="text-xs text-muted-foreground">Identifier: no distribution to show</span>;
}

export function ColumnTable({ rows, dateRange }: { rows: ColumnRow[]; dateRange?: DateRange }) {
  return (
    <Table containerClassName="border-t border-border">
      <THead>
        <TR>
          <TH>Column</TH>
          <TH>Type</TH>
          <TH numeric>Missing</TH>
          <TH numeric>Distinct</TH>
          <TH>Distribution</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.name}>
            <TD className="align-top font-mono text-[13px] font-medium">{row.name}</TD>
            <TD className="align-top font-mono text-xs text-muted-foreground">{row.type}</TD>
            <TD numeric className="align-top">
              <span className={cn(row.missing === 0 && 'text-muted-foreground')}>{formatInt(row.missing)}</span>
              {row.missing > 0 ? <span className="block text-xs text-muted-foreground">{formatPercent(row.missingShare)}</span> : null}
            </TD>
            <TD numeric className="align-top" title={row.distinctLabel.startsWith('≈') ? 'Approximate (HyperLogLog)' : undefined}>
              {row.distinctLabel}
            </TD>
            <TD className="min-w-72 align-top whitespace-normal">
              <Distribution row={row} dateRange={dateRange} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
