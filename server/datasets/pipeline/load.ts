import type { DuckDBConnection } from '@duckdb/node-api';
import { all, literal, one } from '../duckdb';
import { duckdbColumnsSpec } from '../schema';
import type { InspectedFile } from './inspect-file';

/**
 * Parse every file into one typed table, `rows`, in file order (so rowid is a
 * stable row id). The fast path parses strictly; only if that fails does a second
 * pass record every rejected line (bad types, wrong column counts, invalid UTF-8)
 * with its file and line number.
 */
export type RejectedLines = {
  rows: number;
  byKind: { kind: string; column: string | null; lines: number }[];
  examples: { file: string; line: number; kind: string; column: string | null; message: string; text: string }[];
};

function readCsvSql(files: InspectedFile[], storeRejects: boolean) {
  const paths = `[${files.map((f) => literal(f.path)).join(', ')}]`;
  return `create or replace table rows as
    select * exclude (filename), parse_filename(filename) as SOURCE_FILE
    from read_csv(${paths}, columns = ${duckdbColumnsSpec()}, header = true, auto_detect = false,
      delim = ',', quote = '"', escape = '"', dateformat = '%Y%m%d', filename = true, strict_mode = true
      ${storeRejects ? ', store_rejects = true' : ''})`;
}

const PARSE_ERROR = /CSV Error|Conversion Error|Invalid unicode|Could not convert|Invalid Input Error/i;

export async function loadRows(connection: DuckDBConnection, files: InspectedFile[]): Promise<{ rows: number; rejected: RejectedLines | null }> {
  try {
    await connection.run(readCsvSql(files, false));
    const { n } = await one<{ n: number }>(connection, 'select count(*) as n from rows');
    return { rows: n, rejected: null };
  } catch (error) {
    if (!PARSE_ERROR.test((error as Error).message)) throw error;
  }
  await connection.run(readCsvSql(files, true));
  const { n } = await one<{ n: number }>(connection, 'select count(*) as n from rows');
  const detail = `select parse_filename(s.file_path) as file, e.line::BIGINT as line, e.error_type as kind, e.column_name as "column", e.error_message as message, e.csv_line as text
    from reject_errors e join reject_scans s on e.scan_id = s.scan_id and e.file_id = s.file_id`;
  const { lines } = await one<{ lines: number }>(connection, `select count(*) as lines from (select distinct file, line from (${detail}))`);
  const byKind = await all<{ kind: string; column: string | null; lines: number }>(
    connection,
    `select kind, case when kind in ('MISSING COLUMNS', 'TOO MANY COLUMNS') then null else "column" end as "column", count(distinct (file, line)) as lines
     from (${detail}) group by all order by lines desc limit 20`,
  );
  const examples = await all<RejectedLines['examples'][number]>(
    connection,
    `select file, line, kind, "column", message, left(text, 300) as text from (${detail}) qualify row_number() over (partition by file, line order by "column") = 1 order by file, line limit 10`,
  );
  return { rows: n, rejected: { rows: lines ?? 0, byKind, examples } };
}
