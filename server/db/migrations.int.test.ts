import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { applyMigrations } from './migrate';
import { diffMigrationsToSchema } from './schema-diff';

const root = path.resolve(import.meta.dirname, '..', '..');
const MIGRATIONS = path.join(root, 'prisma', 'migrations');

async function emptyDatabase() {
  const { db, url } = await createTestDatabase();
  await db.$executeRawUnsafe('drop schema public cascade');
  await db.$executeRawUnsafe('create schema public');
  return url;
}

describe('migrations', () => {
  it('schema.prisma and prisma/migrations agree (a schema change without a migration fails here)', async () => {
    const sql = await diffMigrationsToSchema({ databaseUrl: inject('databaseAdminUrl'), schemaPath: path.join(root, 'prisma', 'schema.prisma'), migrationsDir: MIGRATIONS });
    expect(sql).toBe('');
  });

  it('applies every migration once, in Prisma’s bookkeeping table, and is idempotent', async () => {
    const url = await emptyDatabase();
    const names = (await fs.readdir(MIGRATIONS, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const first = await applyMigrations(url, MIGRATIONS);
    expect(first.applied).toEqual(names);
    const second = await applyMigrations(url, MIGRATIONS);
    expect(second).toMatchObject({ applied: [], alreadyApplied: names.length, checksumWarnings: [] });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = await client.query('select migration_name, checksum, finished_at from "_prisma_migrations" order by migration_name');
    await client.end();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.rows.every((r) => r.checksum.length === 64 && r.finished_at)).toBe(true);
  });

  it('rolls a failing migration back completely and names it', async () => {
    const url = await emptyDatabase();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await fs.mkdir(path.join(dir, '001_ok'));
    await fs.writeFile(path.join(dir, '001_ok', 'migration.sql'), 'create table "Good" (id int primary key);');
    await fs.mkdir(path.join(dir, '002_bad'));
    await fs.writeFile(path.join(dir, '002_bad', 'migration.sql'), 'create table "Half" (id int); select * from no_such_table;');
    await expect(applyMigrations(url, dir)).rejects.toThrow(/Migration 002_bad failed and was rolled back: relation "no_such_table" does not exist/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("select table_name from information_schema.tables where table_schema = 'public' order by 1");
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(['Good', '_prisma_migrations']);
    await fs.rm(dir, { recursive: true });
  });
});
