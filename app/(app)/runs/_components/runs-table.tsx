'use client';

import * as React from 'react';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, GitCompare } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatDuration } from '@/lib/datasets/format';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { ProgressBar } from '../../datasets/_components/progress-bar';
import { algorithmLabel, formatMetric, isActive, RunStatusBadge } from './run-status';
import type { RunList } from './types';

export type SortField = 'createdAt' | 'accuracy' | 'macroF1' | 'durationMs';

async function fetchRuns(query: string): Promise<RunList> {
  const res = await fetch(`/api/v1/runs?${query}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`Could not refresh the runs (HTTP ${res.status}).`);
  return (await res.json()) as RunList;
}

/**
 * The page of runs the server rendered, kept fresh: while any run on it is queued or
 * running it re-reads the same page every 2 s. Rows can be ticked for comparison.
 */
export function RunsTable({ initial, query, sort, order, sortHref }: { initial: RunList; query: string; sort: SortField; order: 'asc' | 'desc'; sortHref: Record<SortField, string> }) {
  const { data, isError } = useQuery({
    queryKey: ['runs', query],
    queryFn: () => fetchRuns(query),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.runs.some((r) => isActive(r.status)) ? 2000 : false),
  });
  const runs = data.runs;
  const [selected, setSelected] = React.useState<string[]>([]);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const allOnPage = runs.length > 0 && runs.every((r) => selected.includes(r.id));
  const compareHref = `/runs/compare?ids=${selected.map(encodeURIComponent).join(',')}`;

  const sortable = (field: SortField, label: string, numeric = false) => {
    const active = sort === field;
    const Icon = order === 'asc' ? ArrowUp : ArrowDown;
    return (
      <TH numeric={numeric} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <Link href={sortHref[field]} scroll={false} className={cn('inline-flex items-center gap-1 hover:text-foreground', active && 'text-foreground')}>
          {label}
          {active ? <Icon className="size-3" aria-hidden="true" /> : null}
        </Link>
      </TH>
    );
  };

  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-[13px] text-muted-foreground" aria-live="polite">
          {selected.length ? `${selected.length} selected` : 'Tick runs to compare them side by side.'}
          {isError ? <span className="ml-2 text-danger-soft-foreground">Lost contact with the server; retrying…</span> : null}
        </p>
        <div className="flex items-center gap-2">
          {selected.length ? (
            <Button variant="ghost" size="sm" onClick={() => setSelected([])}>
              Clear
            </Button>
          ) : null}
          {selected.length >= 2 ? (
            <Button asChild size="sm" variant="outline">
              <Link href={compareHref}>
                <GitCompare aria-hidden="true" />
                Compare ({selected.length})
              </Link>
            </Button>
          ) : (
            <Button size="sm" variant="outline" disabled title="Select at least two runs">
              <GitCompare aria-hidden="true" />
              Compare ({selected.length})
            </Button>
          )}
        </div>
      </div>
      <div className="overflow-hidden rounded-lg border border-border bg-card shadow-xs">
        <Table>
          <THead>
            <TR>
              <TH className="w-8">
                <input
                  type="checkbox"
                  aria-label="Select all runs on this page"
                  checked={allOnPage}
                  onChange={() => setSelected((s) => (allOnPage ? s.filter((id) => !runs.some((r) => r.id === id)) : [...new Set([...s, ...runs.map((r) => r.id)])]))}
                  className="size-4 accent-[var(--color-primary)]"
                />
              </TH>
              <TH>Run</TH>
              <TH>Status</TH>
              <TH className="hidden md:table-cell">Algorithm</TH>
              <TH className="hidden lg:table-cell">Dataset</TH>
              {sortable('accuracy', 'Accuracy', true)}
              {sortable('macroF1', 'Macro F1', true)}
              {sortable('durationMs', 'Duration', true)}
              {sortable('createdAt', 'Created')}
            </TR>
          </THead>
          <TBody>
            {runs.map((r) => (
              <TR key={r.id} data-state={selected.includes(r.id) ? 'selected' : undefined}>
                <TD className="w-8">
                  <input type="checkbox" aria-label={`Select run #${r.number}`} checked={selected.includes(r.id)} onChange={() => toggle(r.id)} className="size-4 accent-[var(--color-primary)]" />
                </TD>
                <TD className="max-w-[22rem] whitespace-normal">
                  <Link href={`/runs/${r.id}`} className="font-medium text-foreground hover:underline">
                    <span className="font-mono text-muted-foreground">#{r.number}</span> {r.name}
                  </Link>
                  {r.tags.length ? (
                    <span className="mt-1 flex flex-wrap gap-1">
                      {r.tags.map((t) => (
                        <Badge key={t} variant="outline" className="font-mono text-[11px]">
                          {t}
                        </Badge>
                      ))}
                    </span>
                  ) : null}
                </TD>
                <TD>
                  <div className="grid w-28 gap-1">
                    <RunStatusBadge status={r.status} cancelling={Boolean(r.cancelRequestedAt)} />
                    {r.status === 'running' ? <ProgressBar value={r.progress} size="sm" label={`Run #${r.number} progress`} valueText={`${Math.round(r.progress * 100)}% — ${r.stage ?? ''}`} /> : null}
                  </div>
                </TD>
                <TD className="hidden text-muted-foreground md:table-cell">{algorithmLabel(r.algorithm)}</TD>
                <TD className="hidden lg:table-cell">
                  <span className="font-mono text-[13px]">{r.dataset.label}</span>
                </TD>
                <TD numeric>{formatMetric(r.accuracy)}</TD>
                <TD numeric className="font-medium">{formatMetric(r.macroF1)}</TD>
                <TD numeric className="text-muted-foreground">{formatDuration(r.durationMs)}</TD>
                <TD className="text-muted-foreground">
                  <time dateTime={r.createdAt} title={formatDateTime(r.createdAt)} suppressHydrationWarning>
                    {formatRelative(r.createdAt)}
                  </time>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
    </div>
  );
}
