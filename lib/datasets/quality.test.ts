import { describe, expect, it } from 'vitest';
import { checkCountLabel, checkOutcome, exampleCell, exampleColumns, sortChecks, summariseChecks } from './quality';
import type { Check } from './types';

const make = (id: string, severity: Check['severity'], count: number): Check => ({
  id, title: id, severity, count, passed: count === 0, unit: 'rows', message: '', examples: [],
});

describe('quality report helpers', () => {
  const checks = [make('files', 'error', 0), make('dupes', 'warning', 3), make('xx', 'info', 7), make('codes', 'error', 2), make('weekday', 'warning', 0)];

  it('classifies each check by what a reader must do about it', () => {
    expect(checks.map(checkOutcome)).toEqual(['pass', 'warn', 'info', 'fail', 'pass']);
  });

  it('keeps a note with findings a note even when the report marks it passed', () => {
    expect(checkOutcome({ ...make('xx', 'info', 7183), passed: true })).toBe('info');
    expect(checkOutcome(make('xx', 'info', 0))).toBe('pass');
  });

  it('puts failures first and keeps the report order inside each group', () => {
    expect(sortChecks(checks).map((c) => c.id)).toEqual(['codes', 'dupes', 'xx', 'files', 'weekday']);
    expect(checks[0]!.id).toBe('files'); // the input is not mutated
  });

  it('counts outcomes', () => {
    expect(summariseChecks({ checks })).toEqual({ fail: 1, warn: 1, info: 1, pass: 2 });
  });

  it('builds example tables from heterogeneous rows', () => {
    expect(exampleColumns([{ file: 'a.csv', line: 2 }, { file: 'b.csv', problem: 'x' }])).toEqual(['file', 'line', 'problem']);
    expect(exampleColumns([])).toEqual([]);
    expect(exampleCell(994100100000123)).toBe('994100100000123');
    expect(exampleCell(1.5)).toBe('1.5');
    expect(exampleCell(null)).toBe('');
    expect(exampleCell({ a: 1 })).toBe('{"a":1}');
  });

  it('names counts with their unit', () => {
    expect(checkCountLabel({ count: 1, unit: 'files' })).toBe('1 file');
    expect(checkCountLabel({ count: 1200, unit: 'baskets' })).toBe('1,200 baskets');
  });
});
