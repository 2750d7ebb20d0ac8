import 'server-only';
import { API_KEY_PREFIX, hashSecret } from '@/server/auth/secrets';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import type { Actor } from '../context';

const LAST_USED_RESOLUTION_MS = 60_000;

/** Turn a presented secret into an actor, or refuse with the precise reason. */
export async function authenticateApiKey(db: Db, secret: string, now = new Date()): Promise<Extract<Actor, { kind: 'api_key' }>> {
  if (!secret.startsWith(API_KEY_PREFIX) || secret.length < API_KEY_PREFIX.length + 20) {
    throw new AppError('UNAUTHENTICATED', 'Malformed API key: expected "Authorization: Bearer psk_…".');
  }
  const key = await db.apiKey.findUnique({
    where: { secretHash: hashSecret(secret) },
    include: { owner: { select: { id: true, email: true, role: true, isActive: true } } },
  });
  if (!key) throw new AppError('UNAUTHENTICATED', 'Unknown API key.');
  if (key.revokedAt) throw new AppError('UNAUTHENTICATED', `This API key was revoked on ${key.revokedAt.toISOString()}.`);
  if (key.expiresAt && key.expiresAt <= now) throw new AppError('UNAUTHENTICATED', `This API key expired on ${key.expiresAt.toISOString()}.`);
  if (!key.owner.isActive) throw new AppError('UNAUTHENTICATED', 'The owner of this API key is deactivated.');
  // One write per key per minute at most, not one per request.
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  return { kind: 'api_key', userId: key.owner.id, email: key.owner.email, role: key.owner.role, keyId: key.id, keyName: key.name, scopes: key.scopes };
}
