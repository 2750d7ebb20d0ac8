import type { Db } from '../server/db/client';
import { hashPassword } from '../server/auth/password';
import type { RoleName } from '../lib/permissions';
import type { Actor, ServiceContext } from '../server/services/context';
import { createLocalStorage } from '../server/adapters/storage/local';
import os from 'node:os';
import path from 'node:path';

let counter = 0;

/** A real user row of the given role, and a service context acting as them. */
export async function makeUser(db: Db, role: RoleName, opts: { password?: string; email?: string } = {}) {
  counter += 1;
  const email = opts.email ?? `${role}-${counter}-${Date.now()}@example.com`;
  const user = await db.user.create({
    data: { email, name: `${role} ${counter}`, role, passwordHash: await hashPassword(opts.password ?? 'a-good-long-password') },
  });
  return user;
}

export function contextAs(db: Db, actor: Actor): ServiceContext {
  return { actor, db, adapters: { storage: createLocalStorage(path.join(os.tmpdir(), 'pricesense-test-storage')) } };
}

export async function userContext(db: Db, role: RoleName) {
  const user = await makeUser(db, role);
  const actor: Actor = { kind: 'user', userId: user.id, email: user.email, name: user.name, role };
  return { user, ctx: contextAs(db, actor) };
}

/** Rows that a refused request must leave untouched. */
export async function snapshot(db: Db) {
  const [users, keys, audit, invites] = await Promise.all([
    db.user.findMany({ orderBy: { id: 'asc' } }),
    db.apiKey.findMany({ orderBy: { id: 'asc' } }),
    db.auditEvent.count(),
    db.userInvite.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return { users, keys, audit, invites };
}
