import 'server-only';
import pRetry, { AbortError } from 'p-retry';
import type { AlertWebhookPayload } from '@/lib/alerts';

/**
 * POST an alert to a rule's webhook (payload: lib/alerts.ts AlertWebhookPayload).
 * Each attempt has its own timeout; network errors, timeouts, 408, 429 and 5xx are
 * retried with exponential backoff; other 4xx answers are final (a wrong URL or a
 * refusal will not fix itself). Never throws: the outcome is returned for the event row.
 */
export type WebhookOptions = { retries: number; minTimeoutMs: number; timeoutMs: number };
export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { retries: 3, minTimeoutMs: 1000, timeoutMs: 5000 };

export type WebhookOutcome = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

const RETRYABLE_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

export async function sendWebhook(url: string, payload: AlertWebhookPayload, opts: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS): Promise<WebhookOutcome> {
  let attempts = 0;
  const body = JSON.stringify(payload);
  try {
    await pRetry(
      async () => {
        attempts++;
        let res: Response;
        try {
          res = await fetch(url, {
            method: 'POST', body, redirect: 'error', signal: AbortSignal.timeout(opts.timeoutMs),
            headers: { 'content-type': 'application/json', 'user-agent': 'pricesense-alerts/1', 'x-pricesense-event': payload.event },
          });
        } catch (error) {
          const e = error as Error & { cause?: { code?: string; message?: string } };
          throw new Error(e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message));
        }
        // Drain the body so the connection can be reused; its content does not matter.
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        const message = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
        if (!RETRYABLE_STATUS(res.status)) throw new AbortError(message);
        throw new Error(message);
      },
      { retries: opts.retries, minTimeout: opts.minTimeoutMs, factor: 2, randomize: true },
    );
    return { ok: true, attempts };
  } catch (error) {
    return { ok: false, attempts, error: `POST ${redact(url)} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${(error as Error).message}`.slice(0, 1000) };
  }
}

/** Webhook URLs often carry a token in the path or query: only scheme and host go into messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}
