import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

/**
 * One-time secrets (API keys, invite tokens): 32 random bytes, shown once; only a
 * sha256 is stored. A fast hash is right here: the secrets have 256 bits of
 * entropy, so there is nothing to brute-force, and lookups stay one index probe.
 */
export const API_KEY_PREFIX = 'psk_';
export const INVITE_PREFIX = 'psi_';

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What lists show to recognise a key: its first characters. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 8);
}
