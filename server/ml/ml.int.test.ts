import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticFile } from '@/server/datasets/synthetic/write-file';
import { tempDir } from '@/test/transactions';

/**
 * The ML commands exactly as scripts call them, on synthetic files (always): the
 * contract of train / evaluate / features export / predict, accuracy floors, and
 * clear errors for bad input.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
let dir: string;

async function mlops(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'mlops', '--', ...args], { cwd: root, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await tempDir('pricesense-ml-');
  // 24 weeks of calibrated synthetic data: weeks 1–18 train, 19–24 test (a time split).
  await writeSyntheticFile({ rows: 240_000, seed: 5, weeks: 24, out: path.join(dir, 'all.csv.gz') });
}, 120_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function splitFiles() {
  // Split by week with DuckDB: later weeks are the test set, as on the real data.
  const { openDuckDb, literal } = await import('@/server/datasets/duckdb');
  const db = await openDuckDb({ threads: 2 });
  const src = `read_csv(${literal(path.join(dir, 'all.csv.gz'))}, header = true, all_varchar = true)`;
  await db.connection.run(`copy (select * from ${src} where SHOP_WEEK::INTEGER <= 200624) to ${literal(path.join(dir, 'train.csv'))} (header, quote '"', force_quote (CUST_CODE, seg_1, seg_2))`);
  await db.connection.run(`copy (select * from ${src} where SHOP_WEEK::INTEGER > 200624) to ${literal(path.join(dir, 'test.csv'))} (header, quote '"', force_quote (CUST_CODE, seg_1, seg_2))`);
  db.close();
}

describe('the ML command line on synthetic data', () => {
  it('trains the default model, evaluates it above the floors, exports its features and predicts', async () => {
    await splitFiles();
    const model = path.join(dir, 'model.json');
    const trained = await mlops('train', '--data', path.join(dir, 'train.csv'), '--out', model, '--json');
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({ algorithm: 'gbdt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(trained.stderr).toMatch(/loaded [\d,]+ baskets/);

    const evaluated = await mlops('evaluate', '--model', model, '--data', path.join(dir, 'test.csv'), '--json');
    expect(evaluated.code).toBe(0);
    const e = JSON.parse(evaluated.stdout);
    expect(Object.keys(e)).toEqual(expect.arrayContaining(['n_baskets', 'accuracy', 'macro_f1', 'row_accuracy', 'per_class', 'confusion_matrix']));
    expect(Object.keys(e.per_class)).toEqual(['LA', 'MM', 'UM']);
    expect(e.per_class.LA).toEqual({ precision: expect.any(Number), recall: expect.any(Number), f1: expect.any(Number), support: expect.any(Number) });
    expect(e.confusion_matrix.labels).toEqual(['LA', 'MM', 'UM']);
    expect(e.accuracy).toBeGreaterThan(0.93);
    expect(e.macro_f1).toBeGreaterThan(0.9);

    const svm = path.join(dir, 'features.svm');
    expect((await mlops('features', 'export', '--model', model, '--data', path.join(dir, 'test.csv'), '--out', svm)).code).toBe(0);
    const first = (await fs.readFile(svm, 'utf8')).split('\n')[0]!;
    expect(first).toMatch(/^[012]( \d+:[-\d.e]+)+$/);
    expect((await fs.readFile(svm, 'utf8')).trim().split('\n')).toHaveLength(e.n_baskets);

    const input = path.join(dir, 'baskets.jsonl');
    await fs.writeFile(input, [
      JSON.stringify({ basketId: 'a', storeFormat: 'LS', lines: [{ prod: 'PRD0900001', quantity: 1, spend: 1.2 }, { prod: 'PRD0900002', quantity: 3, spend: 2.5 }] }),
      '{ not json',
      JSON.stringify({ lines: [] }),
      JSON.stringify({ lines: [{ prod: 'PRD0900003' }], colour: 'red' }),
    ].join('\n'));
    const predicted = await mlops('predict', '--model', model, '--input', input);
    expect(predicted.code).toBe(1);
    const lines = predicted.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ line: 1, basketId: 'a', label: expect.stringMatching(/^(LA|MM|UM)$/) });
    expect(Object.keys(lines[0].probabilities)).toEqual(['LA', 'MM', 'UM']);
    expect(lines.slice(1)).toEqual([
      { line: 2, error: expect.stringMatching(/^not valid JSON/) },
      { line: 3, error: 'lines: a basket needs at least one line' },
      { line: 4, error: 'colour: unknown field: colour' },
    ]);
  });

  it('trains every algorithm (fast settings) above the product KPIs on a time split', async () => {
    for (const [algorithm, params] of [['gbdt', ['nEstimators=30']], ['random_forest', ['nEstimators=10']], ['decision_tree', []]] as const) {
      const model = path.join(dir, `${algorithm}.json`);
      const trained = await mlops('train', '--data', path.join(dir, 'train.csv'), '--algorithm', algorithm, ...params.flatMap((p) => ['--param', p]), '--out', model);
      expect(trained.code, trained.stderr).toBe(0);
      const e = JSON.parse((await mlops('evaluate', '--model', model, '--data', path.join(dir, 'test.csv'), '--json')).stdout);
      expect(e.accuracy, algorithm).toBeGreaterThan(0.9);
      for (const c of Object.values(e.per_class) as { precision: number }[]) expect(c.precision, algorithm).toBeGreaterThan(0.65);
    }
  });

  it('refuses bad input with a message naming the problem and a non-zero exit', async () => {
    const model = path.join(dir, 'model.json');
    const badAlgorithm = await mlops('train', '--data', path.join(dir, 'train.csv'), '--algorithm', 'svm', '--out', path.join(dir, 'x.json'));
    expect(badAlgorithm.code).toBe(2);
    expect(badAlgorithm.stderr).toMatch(/Unknown algorithm "svm"/);
    const badParam = await mlops('train', '--data', path.join(dir, 'train.csv'), '--algorithm', 'logistic_regression', '--param', 'C=-1', '--out', path.join(dir, 'x.json'));
    expect(badParam.stderr).toMatch(/Parameter C must be ≥ 0.0001 \(got "-1"\)/);
    const noData = await mlops('train', '--data', path.join(dir, 'nothing-here'), '--out', path.join(dir, 'x.json'));
    expect(noData.stderr).toMatch(/no such file or folder/);
    const tampered = path.join(dir, 'tampered.json');
    await fs.writeFile(tampered, (await fs.readFile(model, 'utf8')).replace('"seed":42', '"seed":43'));
    const refused = await mlops('evaluate', '--model', tampered, '--data', path.join(dir, 'test.csv'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/modified or corrupted/);
    const truncated = path.join(dir, 'truncated.json');
    await fs.writeFile(truncated, (await fs.readFile(model, 'utf8')).slice(0, 1000));
    expect((await mlops('evaluate', '--model', truncated, '--data', path.join(dir, 'test.csv'))).stderr).toMatch(/truncated/);
    await expect(fs.access(path.join(dir, 'x.json'))).rejects.toThrow();
  });
});
