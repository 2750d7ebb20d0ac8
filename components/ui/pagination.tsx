import * as React from 'react';
import Link from 'next/link';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { cn } from '@/lib/utils';

export type PaginationProps = {
  /** 1-based current page. */
  page: number;
  pageCount: number;
  hrefForPage: (page: number) => string;
  className?: string;
};

/** First, last, and the current page with one neighbour each side; gaps become "…". */
export function pageWindow(page: number, pageCount: number): Array<number | 'gap'> {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: Array<number | 'gap'> = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    // A gap of exactly one page shows that page instead of an ellipsis.
    if (prev !== undefined && p - prev === 2) out.push(prev + 1);
    else if (prev !== undefined && p - prev > 2) out.push('gap');
    out.push(p);
  });
  return out;
}

const itemClass =
  'inline-flex h-8 min-w-8 items-center justify-center gap-1 rounded-md px-2 text-sm font-medium tabular-nums transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none';

export function Pagination({ page, pageCount, hrefForPage, className }: PaginationProps) {
  if (pageCount <= 1) return null;
  const current = Math.min(Math.max(1, page), pageCount);

  const edge = (target: number, label: string, icon: React.ReactNode, disabled: boolean) =>
    disabled ? (
      <span aria-disabled="true" className={cn(itemClass, 'cursor-not-allowed text-muted-foreground opacity-50')}>
        {icon}
        <span className="hidden sm:inline">{label}</span>
      </span>
    ) : (
      <Link href={hrefForPage(target)} rel={label === 'Previous' ? 'prev' : 'next'} className={cn(itemClass, 'hover:bg-muted')}>
        {icon}
        <span className="hidden sm:inline">{label}</span>
      </Link>
    );

  return (
    <nav aria-label="Pagination" className={cn('flex items-center justify-between gap-2', className)}>
      <p className="text-[13px] text-muted-foreground tabular-nums">
        Page {current} of {pageCount}
      </p>
      <ul className="flex items-center gap-1">
        <li>{edge(current - 1, 'Previous', <ChevronLeft className="size-4" aria-hidden="true" />, current <= 1)}</li>
        {pageWindow(current, pageCount).map((p, i) =>
          p === 'gap' ? (
            <li key={`gap-${i}`} className="hidden px-1 text-muted-foreground sm:block" aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p} className="hidden sm:block">
              <Link
                href={hrefForPage(p)}
                aria-current={p === current ? 'page' : undefined}
                aria-label={`Page ${p}`}
                className={cn(
                  itemClass,
                  p === current ? 'border border-input bg-card shadow-xs' : 'text-muted-foreground hover:bg-muted hover:text-foreground',
                )}
              >
                {p}
              </Link>
            </li>
          ),
        )}
        <li>{edge(current + 1, 'Next', <ChevronRight className="size-4" aria-hidden="true" />, current >= pageCount)}</li>
      </ul>
    </nav>
  );
}
