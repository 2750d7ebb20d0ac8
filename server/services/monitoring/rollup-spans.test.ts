import { describe, expect, it } from 'vitest';
import { HOUR_MS, hourSpans } from './rollup-spans';

const T = Date.UTC(2026, 10, 26);
const m = (minutes: number) => T + minutes * 60_000;

describe('hourSpans', () => {
  it('reads whole hours from hour rows and the ends from finer rows', () => {
    expect(hourSpans(m(10), m(30 * 60 + 10))).toEqual({ hours: { from: m(60), to: m(30 * 60) }, edges: [{ from: m(10), to: m(60) }, { from: m(30 * 60), to: m(30 * 60 + 10) }] });
  });

  it('has no ends when the range is made of whole hours', () => {
    expect(hourSpans(T, T + 720 * HOUR_MS)).toEqual({ hours: { from: T, to: T + 720 * HOUR_MS }, edges: [] });
  });

  it('reads a range inside one hour, or across one boundary without a whole hour, from finer rows only', () => {
    expect(hourSpans(m(5), m(50))).toEqual({ hours: null, edges: [{ from: m(5), to: m(50) }] });
    expect(hourSpans(m(30), m(90))).toEqual({ hours: null, edges: [{ from: m(30), to: m(90) }] });
    expect(hourSpans(m(30), m(30))).toEqual({ hours: null, edges: [] });
  });

  it('covers every instant of the range exactly once', () => {
    for (const [from, to] of [[m(7), m(7 + 59 * 24 * 60)], [m(0), m(61)], [m(59), m(121)], [m(1), m(180)]] as const) {
      const { hours, edges } = hourSpans(from, to);
      const pieces = [...edges, ...(hours ? [hours] : [])].sort((a, b) => a.from - b.from);
      expect(pieces[0]!.from).toBe(from);
      expect(pieces.at(-1)!.to).toBe(to);
      for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.from).toBe(pieces[i - 1]!.to);
      if (hours) expect([hours.from % HOUR_MS, hours.to % HOUR_MS]).toEqual([0, 0]);
    }
  });
});
