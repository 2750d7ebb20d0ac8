import 'server-only';
import { AppError } from '@/server/errors';
import { openCliRuntime, type CliRuntime } from './runtime';
import { reportError } from './output';

/**
 * Run one CLI command against the database: open, run, always close (which may
 * stop an embedded server this command started), and exit with a status a script
 * can rely on: 0 ok, 1 refused/failed, 2 bad input or configuration.
 */
export async function withRuntime(json: boolean, fn: (rt: CliRuntime) => Promise<void>): Promise<never> {
  let rt: CliRuntime | null = null;
  let exitCode = 0;
  try {
    rt = await openCliRuntime();
    await fn(rt);
  } catch (error) {
    exitCode = reportError(error, json);
  } finally {
    await rt?.close().catch(() => undefined);
  }
  process.exit(exitCode || Number(process.exitCode ?? 0));
}

export function parseList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Repeated --param key=value options; values stay strings (an estimator's schema converts and checks them). */
export function parseParams(pairs: string[] = [], option = '--param'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new AppError('VALIDATION', `${option} expects key=value (got "${pair}")`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}
