import { hash } from 'node:crypto';
import type { ManifestKey } from './contract';

/**
 * API keys as the manifest lists them (sha256 of the secret, never the secret),
 * looked up by hash on every request, with a per-key token bucket. Everything is
 * synchronous and allocation-light: this runs on every prediction.
 */
export type ApiKey = {
  id: string;
  name: string;
  expiresAt: string | null;
  expiresAtMs: number;
  /** The key's rate for the instance, as the manifest gives it. */
  ratePerSecond: number;
  /** This process's share of it (all of it unless the instance runs several worker processes), and the bucket's size. */
  refillPerSecond: number;
  burst: number;
  /** Token bucket state: tokens left and when they were last refilled (ms). */
  tokens: number;
  refilledAt: number;
};

export type AuthFailure = { code: 'UNAUTHENTICATED'; message: string };

const BEARER = /^Bearer\s+(psk_[A-Za-z0-9_-]{1,200})\s*$/;

export const AUTH_MESSAGES = {
  missing: 'Missing API key: send "Authorization: Bearer psk_…" with an API key that has the `predict` scope.',
  malformed: 'Malformed Authorization header: expected "Authorization: Bearer psk_…" (an API key with the `predict` scope).',
  unknown: 'Unknown or revoked API key: use an active API key that has the `predict` scope for this deployment.',
} as const;

export class KeyRing {
  private readonly rateShare: number;
  private byHash = new Map<string, ApiKey>();
  /** Secrets already matched to a key: skips hashing on repeat calls. Only accepted secrets enter; rebuilt with the keys. */
  private bySecret = new Map<string, ApiKey>();

  /** `rateShare`: the part of each key's rate this process allows (1/N in each of N cluster workers). */
  constructor(options: { rateShare?: number } = {}) {
    this.rateShare = options.rateShare ?? 1;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Replace the accepted keys; a key that stays keeps its bucket, so a new manifest does not reset limits. */
  update(keys: ManifestKey[], now: number): void {
    const next = new Map<string, ApiKey>();
    for (const k of keys) {
      const old = this.byHash.get(k.sha256);
      const expiresAtMs = k.expiresAt ? Date.parse(k.expiresAt) : Infinity;
      if (old && old.id === k.id && old.ratePerSecond === k.rateLimitPerSecond) {
        next.set(k.sha256, { ...old, name: k.name, expiresAt: k.expiresAt, expiresAtMs });
      } else {
        const refillPerSecond = k.rateLimitPerSecond * this.rateShare;
        // At least one request must fit in the bucket, however small the share.
        const burst = Math.max(1, refillPerSecond);
        next.set(k.sha256, { id: k.id, name: k.name, expiresAt: k.expiresAt, expiresAtMs, ratePerSecond: k.rateLimitPerSecond, refillPerSecond, burst, tokens: burst, refilledAt: now });
      }
    }
    this.byHash = next;
    this.bySecret = new Map();
  }

  /** The key an Authorization header carries, or why it is refused. `nowMs` is wall-clock time (for expiry). */
  authenticate(header: string | undefined, nowMs: number): ApiKey | AuthFailure {
    if (!header) return { code: 'UNAUTHENTICATED', message: AUTH_MESSAGES.missing };
    const match = BEARER.exec(header);
    if (!match) return { code: 'UNAUTHENTICATED', message: AUTH_MESSAGES.malformed };
    const secret = match[1]!;
    let key = this.bySecret.get(secret);
    if (!key) {
      key = this.byHash.get(hash('sha256', secret, 'hex'));
      if (!key) return { code: 'UNAUTHENTICATED', message: AUTH_MESSAGES.unknown };
      this.bySecret.set(secret, key);
    }
    if (nowMs >= key.expiresAtMs) {
      return { code: 'UNAUTHENTICATED', message: `API key "${key.name}" expired at ${key.expiresAt}: create a new API key with the \`predict\` scope.` };
    }
    return key;
  }
}

export function isAuthFailure(result: ApiKey | AuthFailure): result is AuthFailure {
  return (result as AuthFailure).code === 'UNAUTHENTICATED';
}

/**
 * Takes one token from the key's bucket (capacity: one second's worth, at least one). Returns 0
 * when allowed, else the whole seconds to wait (for `retry-after`).
 */
export function takeToken(key: ApiKey, nowMs: number): number {
  const elapsed = nowMs - key.refilledAt;
  if (elapsed > 0) {
    key.tokens = Math.min(key.burst, key.tokens + (elapsed * key.refillPerSecond) / 1000);
    key.refilledAt = nowMs;
  }
  if (key.tokens >= 1) {
    key.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - key.tokens) / key.refillPerSecond));
}
