import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createPrismaClient, type Db } from '../server/db/client';

/**
 * A fresh, migrated database for one test file (cloned from the template made by
 * test/global-setup.ts) and dropped when the file's tests finish.
 */
export async function createTestDatabase(): Promise<{ db: Db; url: string }> {
  const adminUrl = inject('databaseAdminUrl');
  const template = inject('templateDatabase');
  const name = `mlops_test_${inject('testRunId')}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createPrismaClient(url.toString(), 'pricesense:test');
  afterAll(async () => {
    await db.$disconnect();
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  });
  return { db, url: url.toString() };
}
