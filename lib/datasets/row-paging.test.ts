import { describe, expect, it } from 'vitest';
import { isEndAligned, pageLinks, rowRange, serviceQuery, type BrowsePage } from './row-paging';

const page = (over: Partial<BrowsePage>): BrowsePage => ({
  total: 120, page: 1, pageSize: 50, pageCount: 3, firstRowId: 0, lastRowId: 49, hasPrevious: false, hasNext: true, rowCount: 50, ...over,
});

describe('row range', () => {
  it('counts from the start when paging forward', () => {
    expect(rowRange(page({}), false)).toEqual({ from: 1, to: 50 });
    expect(rowRange(page({ page: 3, rowCount: 20 }), false)).toEqual({ from: 101, to: 120 });
  });

  it('counts from the end after "Last", whose first page is the short one', () => {
    expect(rowRange(page({ page: 3, rowCount: 50 }), true)).toEqual({ from: 71, to: 120 });
    expect(rowRange(page({ page: 2, rowCount: 50 }), true)).toEqual({ from: 21, to: 70 });
    expect(rowRange(page({ page: 1, rowCount: 20 }), true)).toEqual({ from: 1, to: 20 });
  });

  it('is empty when nothing matches', () => {
    expect(rowRange(page({ total: 0, rowCount: 0, pageCount: 1 }), false)).toBeNull();
  });
});

describe('page links', () => {
  const base = '/datasets/shop/versions/v1';

  it('keep the filters and the tab, and move the cursor', () => {
    const links = pageLinks(base, { label: 'LA', region: 'E02', after: '49', page: '2' }, page({ page: 2, firstRowId: 50, lastRowId: 99, hasPrevious: true }), { tab: 'rows' });
    expect(links.first).toBe(`${base}?tab=rows&region=E02&label=LA`);
    expect(links.previous).toBe(`${base}?tab=rows&region=E02&label=LA&before=50&page=1`);
    expect(links.next).toBe(`${base}?tab=rows&region=E02&label=LA&after=99&page=3`);
    expect(links.last).toBe(`${base}?tab=rows&region=E02&label=LA&last=1`);
  });

  it('go nowhere from the edges', () => {
    const single = pageLinks(base, {}, page({ total: 10, pageCount: 1, rowCount: 10, hasNext: false }));
    expect(single).toEqual({ first: null, previous: null, next: null, last: null });
  });

  it('carry the end alignment after "Last" unless pages line up anyway', () => {
    const fromLast = pageLinks(base, { last: '1' }, page({ page: 3, firstRowId: 70, lastRowId: 119, hasPrevious: true, hasNext: false }));
    expect(fromLast.previous).toBe(`${base}?before=70&page=2&align=end`);
    const even = pageLinks(base, { last: '1' }, page({ total: 150, page: 3, firstRowId: 100, lastRowId: 149, hasPrevious: true, hasNext: false }));
    expect(even.previous).toBe(`${base}?before=100&page=2`);
    expect(isEndAligned({ align: 'end' })).toBe(true);
    expect(isEndAligned({})).toBe(false);
  });

  it('pass only what the service understands', () => {
    expect(serviceQuery({ label: 'LA', align: 'end', page: '2', weekFrom: ' ' })).toEqual({ label: 'LA', page: '2' });
  });
});
