/**
 * Display and links for the row browser's keyset pagination. The service pages by
 * ROW_ID (`after` / `before` / `last=1`) and takes a page number for display only.
 *
 * "Last" returns the final `pageSize` rows, so when the total is not a multiple of the
 * page size, pages reached from the end are aligned to the end, not the start: the first
 * of them holds fewer rows. `align=end` in the URL remembers that so "rows X–Y" stay true.
 */

export const BROWSE_FILTERS = ['weekFrom', 'weekTo', 'region', 'basketType', 'label', 'basketId'] as const;
export type BrowseFilter = (typeof BROWSE_FILTERS)[number];
export type BrowseParams = Partial<Record<BrowseFilter | 'after' | 'before' | 'last' | 'page' | 'align', string>>;

export type BrowsePage = {
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  firstRowId: number | null;
  lastRowId: number | null;
  hasPrevious: boolean;
  hasNext: boolean;
  rowCount: number;
};

/** True when this page was reached from "Last" (or from a page that was). */
export function isEndAligned(params: BrowseParams): boolean {
  return params.last === '1' || params.last === 'true' || params.align === 'end';
}

/** 1-based positions of the first and last row shown, or null when nothing is shown. */
export function rowRange(page: BrowsePage, endAligned: boolean): { from: number; to: number } | null {
  if (page.rowCount === 0 || page.total === 0) return null;
  if (endAligned) {
    const to = Math.max(page.rowCount, page.total - (page.pageCount - page.page) * page.pageSize);
    return { from: Math.max(1, to - page.rowCount + 1), to };
  }
  const from = (page.page - 1) * page.pageSize + 1;
  return { from, to: Math.min(page.total, from + page.rowCount - 1) };
}

export type PageLinks = { first: string | null; previous: string | null; next: string | null; last: string | null };

/**
 * Links for first/previous/next/last, keeping the filters (and any extra params such as
 * the active tab). Null where the link would go nowhere.
 */
export function pageLinks(basePath: string, params: BrowseParams, page: BrowsePage, extra: Record<string, string> = {}): PageLinks {
  const filters: Record<string, string> = { ...extra };
  for (const key of BROWSE_FILTERS) if (params[key]) filters[key] = params[key]!;
  const href = (cursor: Record<string, string>) => `${basePath}?${new URLSearchParams({ ...filters, ...cursor })}`;
  const align: Record<string, string> = isEndAligned(params) && page.total % page.pageSize !== 0 ? { align: 'end' } : {};
  const onFirst = !page.hasPrevious;
  const onLast = !page.hasNext;
  return {
    first: onFirst ? null : href({}),
    previous: onFirst || page.firstRowId === null ? null : href({ before: String(page.firstRowId), page: String(page.page - 1), ...align }),
    next: onLast || page.lastRowId === null ? null : href({ after: String(page.lastRowId), page: String(page.page + 1), ...align }),
    last: onLast ? null : href({ last: '1' }),
  };
}

/** Only the params the service understands (it rejects unknown ones). */
export function serviceQuery(params: BrowseParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [...BROWSE_FILTERS, 'after', 'before', 'last', 'page'] as const) {
    const value = params[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}
