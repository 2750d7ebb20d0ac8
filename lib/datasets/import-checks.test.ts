import { describe, expect, it } from 'vitest';
// The client copy of the rules must agree with the server's zod schemas.
// eslint-disable-next-line no-restricted-imports -- a parity test reads the server rules it mirrors
import { datasetNameSchema, fileNameSchema } from '@/server/services/datasets/schemas';
import { datasetNameProblem, fileProblem, fileProblems, mergeFiles, selectionProblem } from './import-checks';

describe('dataset name checks', () => {
  it('accept and refuse exactly what the server does', () => {
    const names = ['dunnhumby', 'shop-2024.q1', 'a', '9lives', 'x'.repeat(64), 'x'.repeat(65), 'Shop', '-shop', 'my shop', 'café', 'imports', 'versions', ''];
    for (const name of names) {
      expect(datasetNameProblem(name) === null, name).toBe(datasetNameSchema.safeParse(name).success);
    }
  });

  it('says what to change', () => {
    expect(datasetNameProblem('')).toBe('Enter a dataset name.');
    expect(datasetNameProblem('Shop')).toBe('Use lowercase letters only.');
    expect(datasetNameProblem('my shop')).toMatch(/lowercase letters, digits/);
    expect(datasetNameProblem('imports')).toMatch(/reserved/);
  });
});

describe('file checks', () => {
  it('accept and refuse file names as the server does', () => {
    const names = ['transactions_200607.csv.gz', 'week1.CSV', 'a.csv', 'my file.csv', '.hidden.csv', 'data.txt', 'data.csv.zip', 'data.gz'];
    for (const name of names) {
      expect(fileProblem({ name, size: 10 }) === null, name).toBe(fileNameSchema.safeParse(name).success);
    }
  });

  it('name the problem: wrong extension, bad characters, empty', () => {
    expect(fileProblem({ name: 'data.txt', size: 10 })).toBe('Not a .csv or .csv.gz file.');
    expect(fileProblem({ name: 'my file.csv', size: 10 })).toMatch(/^Rename it/);
    expect(fileProblem({ name: 'a.csv', size: 0 })).toBe('The file is empty (0 bytes).');
  });

  it('flag every file that shares a name', () => {
    expect(fileProblems([{ name: 'a.csv', size: 1 }, { name: 'b.csv', size: 1 }, { name: 'a.csv', size: 2 }])).toEqual([
      'Two files have this name; remove one.', null, 'Two files have this name; remove one.',
    ]);
  });

  it('ignore the very same file picked twice but keep a different one with the same name', () => {
    const a = { name: 'a.csv', size: 5, lastModified: 1 };
    expect(mergeFiles([a], [{ ...a }])).toHaveLength(1);
    expect(mergeFiles([a], [{ ...a, size: 6 }])).toHaveLength(2);
    expect(mergeFiles([], [a, { ...a }])).toHaveLength(1);
  });

  it('check the selection as a whole', () => {
    expect(selectionProblem([])).toBe('Choose at least one file.');
    expect(selectionProblem([{ name: 'a.csv', size: 21 * 1024 ** 3 }])).toMatch(/at most 21.5 GB/);
    expect(selectionProblem([{ name: 'a.csv', size: 10 }])).toBeNull();
  });
});
