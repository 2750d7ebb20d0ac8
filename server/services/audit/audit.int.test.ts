import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { userContext } from '@/test/actors';
import type { Db } from '@/server/db/client';
import { createUser } from '../users/create-user';
import { listAuditEvents } from './list-audit-events';

let db: Db;

beforeAll(async () => {
  ({ db } = await createTestDatabase());
});

describe('the audit log', () => {
  it('is append-only: the database refuses to change, delete or truncate events', async () => {
    const { ctx } = await userContext(db, 'admin');
    await createUser(ctx, { email: 'audited@example.com', name: 'A', role: 'viewer' });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'user.create' } });
    await expect(db.auditEvent.update({ where: { id: event.id }, data: { summary: 'rewritten' } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe('truncate "AuditEvent"')).rejects.toThrow(/append-only/);
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).summary).toBe(event.summary);
  });

  it('lists newest first with filters by action, actor, entity, text and time', async () => {
    const { ctx, user } = await userContext(db, 'admin');
    await createUser(ctx, { email: 'filter-one@example.com', name: 'F1', role: 'viewer' });
    await createUser(ctx, { email: 'filter-two@example.com', name: 'F2', role: 'approver' });
    const all = await listAuditEvents(ctx, { actor: user.email });
    expect(all.events.map((e) => e.summary)).toEqual([
      'Created user filter-two@example.com with role approver',
      'Created user filter-one@example.com with role viewer',
    ]);
    expect((await listAuditEvents(ctx, { q: 'filter-one' })).total).toBe(1);
    expect((await listAuditEvents(ctx, { action: 'user.', entityType: 'user', actor: user.email })).total).toBe(2);
    expect((await listAuditEvents(ctx, { from: new Date(Date.now() + 60_000) })).total).toBe(0);
    const paged = await listAuditEvents(ctx, { actor: user.email, pageSize: 1, page: 2 });
    expect(paged).toMatchObject({ total: 2, pageCount: 2 });
    expect(paged.events[0]?.summary).toMatch(/filter-one/);
    await expect(listAuditEvents(ctx, { page: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
