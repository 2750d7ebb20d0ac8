import 'server-only';
import { generatePassword, hashPassword } from '@/server/auth/password';
import type { Db } from '@/server/db/client';
import { recordAudit } from '../audit/record-audit';

export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';

/**
 * On an installation without users, create the first admin: from MLOPS_ADMIN_EMAIL /
 * MLOPS_ADMIN_PASSWORD when given, else with a generated password that the caller
 * prints once. Returns null when users already exist. Safe under concurrent starts.
 */
export async function ensureFirstAdmin(db: Db, opts: { email?: string; password?: string }) {
  const password = opts.password ?? generatePassword();
  const email = (opts.email ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    // Serialise concurrent first starts on an advisory lock; the second sees the user.
    await tx.$executeRawUnsafe('select pg_advisory_xact_lock(7270001)');
    if ((await tx.user.count()) > 0) return null;
    const user = await tx.user.create({ data: { email, name: 'Administrator', role: 'admin', passwordHash } });
    await recordAudit(tx, { actor: { kind: 'system', label: 'first start' } }, {
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      summary: `Created the first administrator ${email}`,
      after: { email, role: 'admin' },
    });
    return { email, password: opts.password ? null : password };
  });
}
