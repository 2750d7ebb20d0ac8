import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { contextAs, snapshot, userContext } from '@/test/actors';
import type { Db } from '@/server/db/client';
import { hashSecret } from '@/server/auth/secrets';
import { assertCan, type ServiceContext } from '../context';
import { authenticateApiKey } from './authenticate-api-key';
import { createApiKey } from './create-api-key';
import { listApiKeys } from './list-api-keys';
import { revokeApiKey } from './revoke-api-key';

let db: Db;
let engineer: { ctx: ServiceContext; user: { id: string; email: string } };
let admin: { ctx: ServiceContext; user: { id: string } };

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  engineer = await userContext(db, 'ml_engineer');
  admin = await userContext(db, 'admin');
});

describe('API keys', () => {
  it('returns the secret once and stores only its hash', async () => {
    const key = await createApiKey(engineer.ctx, { name: 'ci pipeline', scopes: ['read', 'write', 'read'] });
    expect(key.secret).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
    expect(key.scopes).toEqual(['read', 'write']);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.secretHash).toBe(hashSecret(key.secret));
    expect(JSON.stringify(row)).not.toContain(key.secret.slice(12));
    const listed = await listApiKeys(engineer.ctx);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect(listed.map((k) => k.id)).toContain(key.id);
  });

  it('authenticates a valid key as its owner with its scopes, and records the use', async () => {
    const key = await createApiKey(engineer.ctx, { name: 'reader', scopes: ['read'] });
    const actor = await authenticateApiKey(db, key.secret);
    expect(actor).toMatchObject({ kind: 'api_key', userId: engineer.user.id, scopes: ['read'], keyName: 'reader' });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).not.toBeNull();
  });

  it('refuses malformed, unknown, revoked and expired keys, and keys of deactivated owners, each with its reason', async () => {
    await expect(authenticateApiKey(db, 'hello')).rejects.toThrow(/Malformed API key/);
    await expect(authenticateApiKey(db, `psk_${'x'.repeat(43)}`)).rejects.toThrow(/Unknown API key/);
    const revoked = await createApiKey(engineer.ctx, { name: 'to revoke', scopes: ['read'] });
    await revokeApiKey(engineer.ctx, revoked.id);
    await expect(authenticateApiKey(db, revoked.secret)).rejects.toThrow(/revoked on/);
    await expect(revokeApiKey(engineer.ctx, revoked.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const shortLived = await createApiKey(engineer.ctx, { name: 'short', scopes: ['read'], expiresInDays: 1 });
    await expect(authenticateApiKey(db, shortLived.secret, new Date(Date.now() + 2 * 86_400_000))).rejects.toThrow(/expired on/);
    const owner = await userContext(db, 'ml_engineer');
    const orphan = await createApiKey(owner.ctx, { name: 'orphan', scopes: ['read'] });
    await db.user.update({ where: { id: owner.user.id }, data: { isActive: false } });
    await expect(authenticateApiKey(db, orphan.secret)).rejects.toThrow(/owner of this API key is deactivated/);
  });

  it('lets only admins and engineers own keys, and only admins act on other people’s keys', async () => {
    const viewer = await userContext(db, 'viewer');
    const approver = await userContext(db, 'approver');
    const before = await snapshot(db);
    await expect(createApiKey(viewer.ctx, { name: 'v', scopes: ['read'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createApiKey(approver.ctx, { name: 'a', scopes: ['read'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createApiKey(engineer.ctx, { name: 'for admin', scopes: ['read'], ownerId: admin.user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createApiKey(admin.ctx, { name: 'for viewer', scopes: ['read'], ownerId: viewer.user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createApiKey(engineer.ctx, { name: '', scopes: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(createApiKey(engineer.ctx, { name: 'x', scopes: ['admin'] })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await snapshot(db)).toEqual(before);

    const adminsKey = await createApiKey(admin.ctx, { name: 'admin key', scopes: ['read'] });
    await expect(revokeApiKey(engineer.ctx, adminsKey.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const engineersKey = await createApiKey(admin.ctx, { name: 'made by admin', scopes: ['read'], ownerId: engineer.user.id });
    expect(engineersKey.owner.id).toBe(engineer.user.id);
    await expect(revokeApiKey(admin.ctx, engineersKey.id)).resolves.toMatchObject({ revokedAt: expect.any(Date) });
  });

  it('gives a key no more than its scopes allow, and never identity administration', async () => {
    const all = await createApiKey(admin.ctx, { name: 'admin write', scopes: ['read', 'write', 'predict'] });
    const writeActor = await authenticateApiKey(db, all.secret);
    expect(() => assertCan({ actor: writeActor }, 'runs:write')).not.toThrow();
    expect(() => assertCan({ actor: writeActor }, 'users:manage')).toThrow(/may not manage users/);
    expect(() => assertCan({ actor: writeActor }, 'keys:create')).toThrow(/may not create API keys/);
    const predict = await createApiKey(engineer.ctx, { name: 'predict only', scopes: ['predict'] });
    const predictActor = await authenticateApiKey(db, predict.secret);
    expect(() => assertCan({ actor: predictActor }, 'read')).toThrow(/scopes: predict/);
    const read = await createApiKey(engineer.ctx, { name: 'read only', scopes: ['read'] });
    const readCtx = contextAs(db, await authenticateApiKey(db, read.secret));
    await expect(createApiKey(readCtx, { name: 'minted', scopes: ['read'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
