import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, type ApiClient } from './api-client';

/** A pipeline step that could not finish; `outcome` is what it got done, for --json. Exit code 1. */
export class PipelineError extends Error {
  constructor(message: string, public readonly outcome?: unknown) {
    super(message);
    this.name = 'PipelineError';
  }
}

/** Where progress goes: stderr, so --json output on stdout stays machine-readable. */
export type Reporter = { info(line: string): void };

export const stderrReporter: Reporter = { info: (line) => process.stderr.write(`${line}\n`) };

/** How often a wait that shows no change still says it is waiting. */
const QUIET_NOTE_MS = 30_000;
/** Transient API failures tolerated in a row while polling (a web rollout, a load balancer hiccup). */
const MAX_TRANSIENT = 5;

/**
 * Poll `read` until `done`, printing what `describe` returns when it has something
 * new (null: nothing worth a line) and a "still waiting" note when a wait drags on.
 * Gives up with a PipelineError after the timeout, naming the last state seen.
 */
export async function pollUntil<T>(report: Reporter, opts: {
  what: string;
  timeoutSeconds: number;
  pollSeconds: number;
  read: () => Promise<T>;
  done: (value: T) => boolean;
  describe: (value: T) => string | null;
}): Promise<T> {
  const started = Date.now();
  const deadline = started + opts.timeoutSeconds * 1000;
  let lastNote = started;
  let lastLine = '';
  let transient = 0;
  for (;;) {
    let value: T | undefined;
    try {
      value = await opts.read();
      transient = 0;
    } catch (error) {
      if (!(error instanceof ApiError) || !error.transient || ++transient > MAX_TRANSIENT) throw error;
      report.info(`  (${error.message}; retrying)`);
    }
    if (value !== undefined) {
      if (opts.done(value)) return value;
      const line = opts.describe(value);
      if (line) {
        report.info(line);
        lastLine = line;
        lastNote = Date.now();
      }
    }
    const now = Date.now();
    if (now >= deadline) {
      throw new PipelineError(`Timed out after ${opts.timeoutSeconds} s waiting for ${opts.what}${lastLine ? ` (last seen: ${lastLine})` : ''}.`);
    }
    if (now - lastNote >= QUIET_NOTE_MS) {
      report.info(`  still waiting for ${opts.what} (${Math.round((now - started) / 1000)} s)…`);
      lastNote = now;
    }
    await sleep(Math.min(opts.pollSeconds * 1000, Math.max(0, deadline - now)));
  }
}

type WhoAmI = { kind: string; user: { email: string } | null; key: { name: string; scopes: string[] } | null };

/**
 * First contact: wait (up to the timeout) while the control plane is unreachable
 * or briefly unavailable — right after `pulumi up` it may still be rolling out —
 * and say who the key acts as. A refused key fails at once.
 */
export async function waitForControlPlane(api: ApiClient, report: Reporter, timeoutSeconds = 300, retryMs = 5000): Promise<WhoAmI> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    try {
      const who = await api.get<WhoAmI>('/api/v1/whoami');
      report.info(`Control plane ${api.baseUrl}: acting as ${who.user?.email ?? who.kind}${who.key ? ` (key "${who.key.name}": ${who.key.scopes.join(', ')})` : ''}.`);
      return who;
    } catch (error) {
      if (!(error instanceof ApiError) || !error.transient || Date.now() >= deadline) throw error;
      report.info(`  the control plane does not answer yet (${error.message}); retrying…`);
      await sleep(retryMs);
    }
  }
}
