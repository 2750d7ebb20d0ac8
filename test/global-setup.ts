import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedPostgres, type EmbeddedPostgresHandle } from '../server/db/embedded-postgres';
import { applyMigrations } from '../server/db/migrate';

/**
 * Integration tests run against a real PostgreSQL: TEST_DATABASE_URL when given,
 * else an embedded server under .test-data/. Migrations are applied once to a
 * template database; each test file clones it (test/db.ts), so files are isolated.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = 'mlops_test_template';
let handle: EmbeddedPostgresHandle | null = null;

export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '..');
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    handle = await ensureEmbeddedPostgres({ dataDir: path.join(root, '.test-data'), role: 'vitest' });
    adminUrl = handle.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Leftovers of interrupted runs.
    const stale = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'mlops_test_%'");
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`create database "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  await applyMigrations(templateUrl.toString(), path.join(root, 'prisma', 'migrations'));
  project.provide('databaseAdminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists "${TEMPLATE}" with (force)`).catch(() => undefined);
    await client.end();
    await handle?.release();
  };
}
