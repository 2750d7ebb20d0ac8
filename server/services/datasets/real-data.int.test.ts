import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { userContext } from '@/test/actors';
import { HAS_REAL_DATA, REAL_DATA_DIR } from '@/test/real-data';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import { importLocalFiles } from './import-local-files';
import { browseRows } from './browse-rows';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe.skipIf(!HAS_REAL_DATA)('the real dunnhumby sample (94 weeks)', () => {
  it('imports with the facts of the data README: rows, baskets and the label distribution per basket', { timeout: 180_000 }, async () => {
    const { db } = await createTestDatabase();
    const { ctx } = await userContext(db, 'ml_engineer');
    const engineer = { ...ctx, adapters: { storage: createLocalStorage(path.join(dir, 'storage')), workDir: path.join(dir, 'work') } };
    const { version } = await importLocalFiles(engineer, { dataset: 'dunnhumby', paths: [REAL_DATA_DIR] });
    expect(version).toMatchObject({ status: 'ready', rowCount: 2_519_777, basketCount: 392_510, productCount: 4_993, customerCount: 4_862, minWeek: 200607, maxWeek: 200752 });
    expect(version.sourceFiles).toHaveLength(94);
    const perBasket = Object.fromEntries(version.profile!.labels.map((l) => [l.label, l.baskets]));
    expect(perBasket).toEqual({ MM: 200_302, UM: 94_830, LA: 90_195, XX: 7_183 });
    expect(version.qualityReport!.status).toBe('warnings');
    expect(version.qualityReport!.checks.find((c) => c.id === 'non_positive')).toMatchObject({ passed: false, count: 5 });
    const page = await browseRows(engineer, version.id, { region: 'E02', basketType: 'Full Shop', label: 'UM' });
    expect(page.total).toBeGreaterThan(1000);
  });
});
