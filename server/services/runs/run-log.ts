import 'server-only';
import type { DbTx } from '../context';

export type RunLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Logs are capped per message so a runaway line cannot bloat the table. */
export async function appendRunLog(db: DbTx, runId: string, level: RunLogLevel, message: string) {
  await db.runLog.create({ data: { runId, level, message: message.slice(0, 4000) } });
}
