import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { userContext } from '@/test/actors';
import { tempDir, toCsv, transactionRows, writeTransactions } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { Db } from '@/server/db/client';
import type { ServiceContext } from '../context';
import { browseRows } from './browse-rows';
import { cancelImport } from './cancel-import';
import { completeUpload } from './complete-upload';
import { importLocalFiles } from './import-local-files';
import { processDatasetVersion } from './process-version';
import { getDataset, resolveDatasetVersion } from './read-datasets';
import { receiveFile } from './receive-file';
import { startImport } from './start-import';
import { sweepStaleImports } from './sweep-stale-imports';

let db: Db;
let dir: string;
let engineer: ServiceContext;

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  dir = await tempDir();
  const storage = createLocalStorage(path.join(dir, 'storage'));
  const e = await userContext(db, 'ml_engineer');
  engineer = { ...e.ctx, adapters: { storage, workDir: path.join(dir, 'work') } };
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The browser flow: declare, stream each file, complete, process. */
async function upload(ctx: ServiceContext, dataset: string, files: { name: string; content: string }[]) {
  const started = await startImport(ctx, { dataset, files: files.map((f) => ({ name: f.name, bytes: Buffer.byteLength(f.content) })) });
  for (const f of files) await receiveFile(ctx, started.versionId, f.name, Readable.from([Buffer.from(f.content)]));
  const completed = await completeUpload(ctx, started.versionId, { processing: 'inline' });
  if (completed.duplicateOf) return { ...started, duplicateOf: completed.duplicateOf, result: null };
  return { ...started, duplicateOf: null, result: await processDatasetVersion(ctx, started.versionId) };
}

const week = (w: number, extra: Parameters<typeof transactionRows>[0] = {}) => ({ name: `transactions_${w}.csv`, content: toCsv(transactionRows({ week: w, ...extra })) });
const storedKeys = async (ctx: ServiceContext, prefix: string) => (await ctx.adapters.storage.list(prefix)).map((o) => o.key);

describe('importing through the upload API', () => {
  it('turns uploaded files into version 1 with raw and curated layers in storage, audited', async () => {
    const { result, datasetId, versionId } = await upload(engineer, 'shop', [week(200607), week(200609)]);
    expect(result).toMatchObject({ status: 'ready', version: 1, basketCount: 20 });
    const keys = await storedKeys(engineer, `datasets/${datasetId}/${versionId}/`);
    expect(keys).toEqual(expect.arrayContaining([
      `datasets/${datasetId}/${versionId}/raw/transactions_200607.csv`,
      `datasets/${datasetId}/${versionId}/curated/baskets.parquet`,
      `datasets/${datasetId}/${versionId}/profile.json`,
    ]));
    expect(keys.some((k) => k.includes('/curated/rows/STORE_REGION=E02/'))).toBe(true);
    const actions = (await db.auditEvent.findMany({ where: { OR: [{ entityId: versionId }, { entityId: datasetId }] }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['dataset.create', 'dataset.import_start', 'dataset.version_ready']);
  });

  it('recognises the same content as the existing version and stores nothing new', async () => {
    const before = await getDataset(engineer, 'shop');
    const { duplicateOf, datasetId, versionId } = await upload(engineer, 'shop', [week(200609), week(200607)]);
    expect(duplicateOf).toMatchObject({ version: 1 });
    expect(await storedKeys(engineer, `datasets/${datasetId}/${versionId}/`)).toEqual([]);
    expect((await getDataset(engineer, 'shop')).versions.map((v) => v.id)).toEqual(before.versions.map((v) => v.id));
  });

  it('numbers the next version 2 and resolves name, name@N and ids', async () => {
    const { result } = await upload(engineer, 'shop', [week(200607), week(200609), week(200610)]);
    expect(result!.version).toBe(2);
    expect((await resolveDatasetVersion(engineer, 'shop')).version).toBe(2);
    expect((await resolveDatasetVersion(engineer, 'shop@1')).version).toBe(1);
    expect((await resolveDatasetVersion(engineer, result!.id)).id).toBe(result!.id);
    await expect(resolveDatasetVersion(engineer, 'shop@9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects invalid data with its report, keeps no files, and leaves earlier versions intact', async () => {
    const rows = transactionRows({ week: 200611 });
    rows[0]!.BASKET_TYPE = 'Big Shop';
    const { result, datasetId, versionId } = await upload(engineer, 'shop', [{ name: 'bad.csv', content: toCsv(rows) }]);
    expect(result).toMatchObject({ status: 'rejected', version: null });
    expect(result!.errorMessage).toMatch(/BASKET_TYPE="Big Shop"/);
    expect(await storedKeys(engineer, `datasets/${datasetId}/${versionId}/`)).toEqual([]);
    const dataset = await getDataset(engineer, 'shop');
    expect(dataset.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(dataset.attempts.find((a) => a.id === versionId)?.status).toBe('rejected');
    const page = await browseRows(engineer, dataset.versions[1]!.id, {});
    expect(page.total).toBe(60);
  });

  it('refuses an interrupted upload with the file and how far it got, then cancels cleanly', async () => {
    const versionsBefore = (await getDataset(engineer, 'shop')).versions.map((v) => v.id);
    const file = week(200612, { baskets: 200 });
    const started = await startImport(engineer, { dataset: 'shop', files: [{ name: file.name, bytes: Buffer.byteLength(file.content) }] });
    const half = Buffer.from(file.content).subarray(0, 5000);
    const broken = new Readable({
      read() {
        this.push(half);
        this.destroy(new Error('client disconnected'));
      },
    });
    const error = await receiveFile(engineer, started.versionId, file.name, broken).catch((e) => e);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/^Upload of transactions_200612\.csv was interrupted after [\d,]+ of [\d,]+ bytes/);
    expect(await storedKeys(engineer, `datasets/${started.datasetId}/${started.versionId}/`)).toEqual([]);
    await expect(completeUpload(engineer, started.versionId, { processing: 'inline' })).rejects.toThrow(/Still waiting for transactions_200612\.csv/);
    await cancelImport(engineer, started.versionId);
    expect((await getDataset(engineer, 'shop')).versions.map((v) => v.id)).toEqual(versionsBefore);
    await expect(receiveFile(engineer, started.versionId, file.name, Readable.from([Buffer.from(file.content)]))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses undeclared files and files longer than declared', async () => {
    const started = await startImport(engineer, { dataset: 'shop', files: [{ name: 'small.csv', bytes: 10 }] });
    await expect(receiveFile(engineer, started.versionId, 'other.csv', Readable.from([Buffer.from('x')]))).rejects.toThrow(/not one of the files declared/);
    await expect(receiveFile(engineer, started.versionId, 'small.csv', Readable.from([Buffer.alloc(20)]))).rejects.toThrow(/more than the declared 10 bytes/);
  });

  it('validates the declaration: names, empty files, duplicates; viewers may not import', async () => {
    await expect(startImport(engineer, { dataset: 'Bad Name', files: [{ name: 'a.csv', bytes: 1 }] })).rejects.toThrow(/dataset: may use lowercase letters/);
    await expect(startImport(engineer, { dataset: 'ok', files: [{ name: 'a.txt', bytes: 1 }] })).rejects.toThrow(/files.0.name: must be a .csv or .csv.gz file name/);
    await expect(startImport(engineer, { dataset: 'ok', files: [{ name: 'a.csv', bytes: 0 }] })).rejects.toThrow(/is empty \(0 bytes\)/);
    await expect(startImport(engineer, { dataset: 'ok', files: [{ name: 'a.csv', bytes: 1 }, { name: 'a.csv', bytes: 2 }] })).rejects.toThrow(/two files have the same name/);
    const viewer = (await userContext(db, 'viewer')).ctx;
    const before = await db.datasetVersion.count();
    await expect(startImport(viewer, { dataset: 'ok', files: [{ name: 'a.csv', bytes: 1 }] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.datasetVersion.count()).toBe(before);
  });

  it('marks imports whose process died as failed, and removes their files', async () => {
    const started = await startImport(engineer, { dataset: 'shop', files: [{ name: 'x.csv', bytes: 5 }] });
    await engineer.adapters.storage.put(`datasets/${started.datasetId}/${started.versionId}/raw/partial`, 'abc');
    const later = { ...engineer, now: () => new Date(Date.now() + 10 * 60_000) };
    expect(await sweepStaleImports(later)).toBeGreaterThanOrEqual(1);
    const row = await db.datasetVersion.findUniqueOrThrow({ where: { id: started.versionId } });
    expect(row).toMatchObject({ status: 'failed', errorMessage: expect.stringMatching(/Upload interrupted/) });
    expect(await storedKeys(engineer, `datasets/${started.datasetId}/${started.versionId}/`)).toEqual([]);
  });
});

describe('browsing rows', () => {
  it('filters by week, region, basket type and label, pages with a cursor, and names bad filters', async () => {
    const { result } = await upload(engineer, 'browse', [week(200620, { baskets: 40 }), week(200621, { baskets: 40 })]);
    const id = result!.id;
    const all = await browseRows(engineer, id, {});
    expect(all).toMatchObject({ total: 240, pageCount: 5, page: 1, hasNext: true, hasPrevious: false });
    expect(all.rows.map((r) => r.ROW_ID)).toEqual([...Array(50).keys()]);
    const next = await browseRows(engineer, id, { after: all.lastRowId!, page: 2 });
    expect(next.rows[0]!.ROW_ID).toBe(50);
    const back = await browseRows(engineer, id, { before: next.firstRowId!, page: 1 });
    expect(back.rows.map((r) => r.ROW_ID)).toEqual(all.rows.map((r) => r.ROW_ID));
    const last = await browseRows(engineer, id, { last: '1' });
    expect(last).toMatchObject({ page: 5, hasNext: false });
    expect(last.rows.at(-1)!.ROW_ID).toBe(239);
    const filtered = await browseRows(engineer, id, { weekFrom: 200621, region: 'W01', basketType: 'Full Shop', label: 'LA' });
    expect(filtered.total).toBeGreaterThan(0);
    for (const row of filtered.rows) expect(row).toMatchObject({ SHOP_WEEK: 200621, STORE_REGION: 'W01', BASKET_TYPE: 'Full Shop', BASKET_PRICE_SENSITIVITY: 'LA' });
    await expect(browseRows(engineer, id, { region: 'MARS' })).rejects.toThrow(/region/);
  });
});

describe('importing local files (CLI)', () => {
  it('imports a folder of transactions files, and recognises a re-import before copying anything', async () => {
    const folder = await tempDir('pricesense-folder-');
    await writeTransactions(folder, 'transactions_200630.csv.gz', toCsv(transactionRows({ week: 200630 })));
    await writeTransactions(folder, 'transactions_200631.csv', toCsv(transactionRows({ week: 200631 })));
    await writeTransactions(folder, 'notes.csv', 'not a transactions file');
    const stages: string[] = [];
    const first = await importLocalFiles(engineer, { dataset: 'folder', paths: [folder], onProgress: (s) => void stages.push(s) });
    expect(first).toMatchObject({ duplicate: false, version: { status: 'ready', version: 1, rowCount: 60 } });
    expect(first.version.sourceFiles.map((f) => f.name)).toEqual(['transactions_200630.csv.gz', 'transactions_200631.csv']);
    expect(stages).toEqual(expect.arrayContaining(['hashing', 'uploading', 'parsing', 'checking', 'writing', 'profiling', 'storing']));
    const attemptsBefore = await db.datasetVersion.count();
    const again = await importLocalFiles(engineer, { dataset: 'folder', paths: [folder] });
    expect(again).toMatchObject({ duplicate: true, version: { id: first.version.id } });
    expect(await db.datasetVersion.count()).toBe(attemptsBefore);
    await expect(importLocalFiles(engineer, { dataset: 'folder', paths: [path.join(folder, 'missing')] })).rejects.toThrow(/no such file or folder/);
    await fs.rm(folder, { recursive: true });
  });
});
