import { describe, expect, it } from 'vitest';
import { attemptMessage, describeStage, importStepIndex, IMPORT_STEPS, isInProgress, qualityDisplay, statusDisplay } from './status';

describe('version status', () => {
  it('knows which statuses are still moving', () => {
    expect(['uploading', 'importing', 'validating'].every(isInProgress)).toBe(true);
    expect(['ready', 'rejected', 'failed', 'cancelled'].some(isInProgress)).toBe(false);
  });

  it('maps statuses and report outcomes to a label and a tone', () => {
    expect(statusDisplay('ready')).toEqual({ label: 'Ready', tone: 'success' });
    expect(statusDisplay('rejected').tone).toBe('danger');
    expect(statusDisplay('mystery')).toEqual({ label: 'mystery', tone: 'neutral' });
    expect(qualityDisplay('warnings')).toEqual({ label: 'Warnings', tone: 'warning' });
  });

  it('places the worker stage on the import steps', () => {
    expect(importStepIndex('uploading', 'uploading')).toBe(0);
    expect(importStepIndex('importing', 'queued')).toBe(1);
    expect(IMPORT_STEPS[importStepIndex('importing', 'parsing: 2,519,777 rows')]!.key).toBe('parse');
    expect(IMPORT_STEPS[importStepIndex('importing', 'storing: curated/baskets.parquet')]!.key).toBe('write');
    expect(importStepIndex('importing', null)).toBe(1);
    expect(importStepIndex('ready', 'ready')).toBe(-1);
  });

  it('drops the redundant "Rejected:" prefix from attempt messages', () => {
    expect(attemptMessage('Rejected: Unknown codes: BASKET_SIZE="XL" (3).')).toBe('Unknown codes: BASKET_SIZE="XL" (3).');
    expect(attemptMessage('Same content as version 1')).toBe('Same content as version 1');
    expect(attemptMessage('cancelled by the user')).toBe('Cancelled by the user');
    expect(attemptMessage('Rejected: transactions_200610.csv has an unexpected header')).toBe('transactions_200610.csv has an unexpected header');
    expect(attemptMessage(null)).toBeNull();
  });

  it('describes the stage in words', () => {
    expect(describeStage('parsing: 2,519,777 rows')).toBe('Parsing — 2,519,777 rows');
    expect(describeStage('queued')).toBe('Queued for the worker');
    expect(describeStage('writing: typed rows (Parquet): part 1')).toBe('Writing — typed rows (Parquet): part 1');
    expect(describeStage(null)).toBe('Waiting for the worker');
  });
});
