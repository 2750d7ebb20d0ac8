import { describe, expect, it } from 'vitest';
import { formatTimeTick, probabilityBars, servingTimeline, timeTicks } from './deployments';

const t = (hhmm: string) => `2026-11-26T${hhmm}:00.000Z`;
const ev = (id: string, version: number, action: string, startedAt: string, endedAt: string | null) => ({ action, startedAt, endedAt, modelVersion: { id, version } });

describe('servingTimeline', () => {
  it('gives each version a row with its windows, the serving one open until now', () => {
    const tl = servingTimeline([ev('b', 2, 'deploy', t('11:00'), null), ev('a', 1, 'deploy', t('10:00'), t('11:00'))], t('12:00'));
    // Earliest first, whatever order the events came in (the service lists newest first).
    expect(tl.rows.map((r) => r.label)).toEqual(['v1', 'v2']);
    expect(tl.rows[0]!.s0).toEqual([Date.parse(t('10:00')), Date.parse(t('11:00'))]);
    expect(tl.rows[1]!.segments).toEqual([{ start: Date.parse(t('11:00')), end: Date.parse(t('12:00')), open: true, action: 'deploy' }]);
    expect(tl.rows[1]!.servedMs).toBe(3600_000);
    expect(tl.seriesKeys).toEqual(['s0']);
    expect(tl.domain).toEqual([Date.parse(t('10:00')), Date.parse(t('12:00'))]);
    expect(tl.rows[0]!.color).not.toBe(tl.rows[1]!.color);
  });

  it('puts a version that was rolled back to on its own row twice, as a second series', () => {
    const tl = servingTimeline(
      [ev('a', 1, 'rollback', t('11:30'), null), ev('b', 2, 'deploy', t('11:00'), t('11:30')), ev('a', 1, 'deploy', t('10:00'), t('11:00'))],
      t('12:00'),
    );
    expect(tl.rows.map((r) => r.label)).toEqual(['v1', 'v2']);
    expect(tl.seriesKeys).toEqual(['s0', 's1']);
    expect(tl.rows[0]!.s1).toEqual([Date.parse(t('11:30')), Date.parse(t('12:00'))]);
    expect(tl.rows[0]!.segments.map((s) => s.action)).toEqual(['deploy', 'rollback']);
    expect(tl.rows[1]!.s1).toBeUndefined();
    expect(tl.rows[0]!.servedMs).toBe(90 * 60_000);
  });

  it('widens a domain shorter than a minute so a fresh deploy is still visible', () => {
    const tl = servingTimeline([ev('a', 1, 'deploy', '2026-11-26T12:00:00.000Z', null)], '2026-11-26T12:00:05.000Z');
    expect(tl.domain[1] - tl.domain[0]).toBe(60_000);
    expect(tl.domain[1]).toBe(Date.parse('2026-11-26T12:00:05.000Z'));
  });

  it('never draws a window ending before it starts (clock skew) and copes with no events', () => {
    const tl = servingTimeline([ev('a', 1, 'deploy', t('11:00'), t('10:59'))], t('12:00'));
    expect(tl.rows[0]!.s0).toEqual([Date.parse(t('11:00')), Date.parse(t('11:00'))]);
    const empty = servingTimeline([], t('12:00'));
    expect(empty.rows).toEqual([]);
    expect(empty.seriesKeys).toEqual([]);
    expect(empty.domain[1]).toBe(Date.parse(t('12:00')));
  });
});

describe('time ticks', () => {
  it('puts ticks on round times, never two with the same label', () => {
    const from = Date.parse('2026-11-26T15:46:20.000Z');
    const ticks = timeTicks([from, from + 10 * 60_000]);
    expect(ticks.map((x) => formatTimeTick(x, 10 * 60_000))).toEqual(['15:48', '15:50', '15:52', '15:54', '15:56']);
    // A deployment a minute old still gets several ticks, to the second.
    const fresh = timeTicks([from, from + 60_000]);
    expect(fresh.map((x) => formatTimeTick(x, 60_000))).toEqual(['15:46:30', '15:46:45', '15:47:00', '15:47:15']);
    const day = timeTicks([from, from + 24 * 3600_000]);
    expect(day.length).toBeLessThanOrEqual(5);
    expect(day.every((x) => x % (6 * 3600_000) === 0)).toBe(true);
    expect(new Set(day.map((x) => formatTimeTick(x, 24 * 3600_000))).size).toBe(day.length);
    expect(timeTicks([5, 5])).toEqual([5]);
  });

  it('labels ticks as precisely as the span needs, in UTC', () => {
    const at = Date.parse('2026-11-26T14:03:00.000Z');
    expect(formatTimeTick(at + 20_000, 60_000)).toBe('14:03:20');
    expect(formatTimeTick(at, 3600_000)).toBe('14:03');
    expect(formatTimeTick(at, 3 * 86_400_000)).toBe('11-26 14:03');
    expect(formatTimeTick(at, 30 * 86_400_000)).toBe('11-26');
  });
});

describe('probabilityBars', () => {
  it('orders classes as everywhere else, marks the prediction and clamps bad values to 0..1', () => {
    const bars = probabilityBars({ UM: 0.2, LA: 0.5, MM: 0.3 }, 'LA');
    expect(bars.map((b) => [b.label, b.probability, b.isPredicted])).toEqual([['LA', 0.5, true], ['MM', 0.3, false], ['UM', 0.2, false]]);
    expect(probabilityBars({ MM: 'x', ZZ: 1.5, LA: -1 }, null).map((b) => [b.label, b.probability])).toEqual([['LA', 0], ['MM', 0], ['ZZ', 1]]);
  });
});
