import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

/**
 * DuckDB is the data engine: CSV parsing, validation queries, Parquet, profiling
 * and the row browser. Results come back as plain JSON-safe values.
 */
export type Row = Record<string, JsonValue>;
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export async function openDuckDb(options: { threads?: number; memoryLimit?: string; tempDirectory?: string; file?: string } = {}) {
  const config: Record<string, string> = {
    threads: String(options.threads ?? 2),
    memory_limit: options.memoryLimit ?? '1500MB',
    // Deterministic output order (row ids follow the files), required for lineage.
    preserve_insertion_order: 'true',
  };
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  // A database file (rather than :memory:) lets DuckDB compress tables and spill to disk.
  const instance = await DuckDBInstance.create(options.file ?? ':memory:', config);
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function normalise(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString().endsWith('T00:00:00.000Z') ? value.toISOString().slice(0, 10) : value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value as JsonValue;
}

export async function all<T extends Row = Row>(connection: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => normalise(row) as T);
}

export async function one<T extends Row = Row>(connection: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<T> {
  const rows = await all<T>(connection, sql, params);
  if (!rows[0]) throw new Error(`query returned no rows: ${sql.slice(0, 80)}`);
  return rows[0];
}

/** A SQL string literal. DuckDB's read_* functions take paths as literals, not parameters. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
