import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

/**
 * `prisma migrate diff --from-migrations … --to-schema …` without the Prisma CLI's
 * native engine (which cannot be downloaded on offline machines): Prisma's own schema
 * engine compiled to WebAssembly, talking to PostgreSQL through the pg driver adapter.
 * The migrations are replayed in a throw-away shadow database.
 */

type EngineModule = {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (
      options: { datamodels: [string, string][] },
      log: (message: string) => void,
      adapter: object,
    ) => Promise<{ diff(params: object): Promise<{ exitCode: number; stdout: string | null }> }>;
  };
};

let loaded: EngineModule | null = null;

function loadEngine(): EngineModule {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const jsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = jsPath.replace(/schema_engine_bg\.js$/, 'schema_engine_bg.wasm');
  const wasmModule = new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(wasmModule, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  const engine = bg as unknown as EngineModule;
  engine.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  loaded = engine;
  return engine;
}

export async function readMigrationList(migrationsDir: string) {
  const entries = (await fs.readdir(migrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await fs.readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      entries.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await fs.readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

type Field = { dataTypeID: number };
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * Two fixes to the pg adapter for the schema engine: it introspects pg_catalog
 * columns of PostgreSQL's one-byte type `"char"`, which the adapter cannot map (they
 * are plain text to the engine); and the adapter splits scripts on every ";", which
 * breaks function bodies, where PostgreSQL runs a multi-statement script as is.
 */
function adaptForSchemaEngine<A extends object>(adapter: A): A {
  const target = adapter as unknown as {
    client: pg.Pool;
    performIO(query: unknown): Promise<{ fields: Field[] }>;
    executeScript(script: string): Promise<void>;
  };
  target.executeScript = async (script) => {
    await target.client.query(script);
  };
  const performIO = target.performIO.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

/**
 * SQL that takes a database at the state of `migrationsDir` to the state described
 * by `schemaPath`; an empty string when they agree. `databaseUrl` only hosts the
 * temporary shadow database.
 */
export async function diffMigrationsToSchema(opts: { databaseUrl: string; schemaPath: string; migrationsDir: string }): Promise<string> {
  const { SchemaEngine } = loadEngine();
  const schema = await fs.readFile(opts.schemaPath, 'utf8');
  const url = new URL(opts.databaseUrl);
  const fields = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  // The shadow database is created and dropped here (WITH (FORCE)), with pools we
  // own and end, so no idle connection outlives the diff.
  const shadowName = `mlops_shadow_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ ...fields, database: url.pathname.slice(1) });
  await admin.connect();
  await admin.query(`create database "${shadowName}"`);
  const mainPool = new pg.Pool({ ...fields, database: url.pathname.slice(1), max: 2 });
  const shadowPool = new pg.Pool({ ...fields, database: shadowName, max: 2 });
  for (const pool of [mainPool, shadowPool]) pool.on('error', () => undefined);
  const main = new PrismaPg(mainPool);
  const shadow = new PrismaPg(shadowPool);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect().then(adaptForSchemaEngine),
    connectToShadowDb: () => shadow.connect().then(adaptForSchemaEngine),
  };
  try {
    const engine = await SchemaEngine.new(
      { datamodels: [[opts.schemaPath, schema]] },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    const migrations = await readMigrationList(opts.migrationsDir);
    const from = migrations.migrationDirectories.length ? { tag: 'migrations', ...migrations } : { tag: 'empty' };
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: opts.schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? '';
    return sql.replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  } finally {
    await Promise.allSettled([mainPool.end(), shadowPool.end()]);
    await admin.query(`drop database if exists "${shadowName}" with (force)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}
