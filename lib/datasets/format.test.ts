import { describe, expect, it } from 'vitest';
import { formatAxis, formatBytes, formatCompact, formatDuration, formatInt, formatNumber, formatPercent, formatWeek, formatWeekRange, plural, shortHash } from './format';

describe('dataset formatting', () => {
  it('prints counts with separators, compactly when large', () => {
    expect(formatInt(2_519_777)).toBe('2,519,777');
    expect(formatInt(null)).toBe('—');
    expect(formatCompact(9_999)).toBe('9,999');
    expect(formatCompact(2_519_777)).toBe('2.5M');
    expect(formatCompact(392_510)).toBe('392.5K');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatAxis(9000)).toBe('9K');
    expect(formatAxis(18_000)).toBe('18K');
    expect(formatAxis(750)).toBe('750');
    expect(formatNumber(1685)).toBe('1,685');
  });

  it('prints shares as percentages without hiding tiny non-zero values', () => {
    expect(formatPercent(0.2291)).toBe('22.9%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.00001)).toBe('<0.1%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('prints sizes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(332_138)).toBe('332 KB');
    expect(formatBytes(31_900_000)).toBe('31.9 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('prints shop weeks and ranges', () => {
    expect(formatWeek(200607)).toBe('2006 W07');
    expect(formatWeek(200752)).toBe('2007 W52');
    expect(formatWeek(null)).toBe('—');
    expect(formatWeekRange(200607, 200752)).toBe('2006 W07 – 2007 W52');
    expect(formatWeekRange(200607, 200607)).toBe('2006 W07');
    expect(formatWeekRange(null, 200607)).toBe('—');
  });

  it('prints durations at a useful precision', () => {
    expect(formatDuration(420)).toBe('420 ms');
    expect(formatDuration(4_200)).toBe('4.2 s');
    expect(formatDuration(17_400)).toBe('17 s');
    expect(formatDuration(64_000)).toBe('1 min 04 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatDuration(-5)).toBe('—');
  });

  it('shortens hashes and pluralises', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortHash(null)).toBe('—');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(1200, 'row')).toBe('1,200 rows');
  });
});
