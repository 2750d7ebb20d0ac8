import Link from 'next/link';
import { Search } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { algorithmLabel, statusLabel } from './run-status';

export type RunFilters = { status?: string; algorithm?: string; dataset?: string; tag?: string; q?: string; sort?: string; order?: string };

/** A plain GET form: filters live in the URL, so they survive reloads and can be shared. */
export function RunFiltersForm({ filters, statuses, algorithms, datasets }: { filters: RunFilters; statuses: readonly string[]; algorithms: readonly string[]; datasets: string[] }) {
  const active = Boolean(filters.status || filters.algorithm || filters.dataset || filters.tag || filters.q);
  return (
    <form method="get" action="/runs" role="search" aria-label="Filter runs" className="mb-4 grid gap-2 sm:grid-cols-2 lg:grid-cols-[minmax(12rem,1.4fr)_repeat(4,minmax(8rem,1fr))_auto]">
      <div className="relative">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
        <Input name="q" type="search" aria-label="Search runs" placeholder="Name or #number" defaultValue={filters.q} className="pl-9" />
      </div>
      <Select name="status" aria-label="Status" defaultValue={filters.status ?? ''}>
        <option value="">Any status</option>
        {statuses.map((s) => (
          <option key={s} value={s}>{statusLabel(s)}</option>
        ))}
      </Select>
      <Select name="algorithm" aria-label="Algorithm" defaultValue={filters.algorithm ?? ''}>
        <option value="">Any algorithm</option>
        {algorithms.map((a) => (
          <option key={a} value={a}>{algorithmLabel(a)}</option>
        ))}
      </Select>
      <Select name="dataset" aria-label="Dataset" defaultValue={filters.dataset ?? ''}>
        <option value="">Any dataset</option>
        {datasets.map((d) => (
          <option key={d} value={d}>{d}</option>
        ))}
      </Select>
      <Input name="tag" aria-label="Tag" placeholder="Tag" defaultValue={filters.tag} />
      {filters.sort ? <input type="hidden" name="sort" value={filters.sort} /> : null}
      {filters.order ? <input type="hidden" name="order" value={filters.order} /> : null}
      <div className="flex gap-2">
        <Button type="submit" variant="secondary">Filter</Button>
        {active ? (
          <Button asChild variant="ghost">
            <Link href="/runs">Reset</Link>
          </Button>
        ) : null}
      </div>
    </form>
  );
}
