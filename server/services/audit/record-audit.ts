import 'server-only';
import type { DbTx } from '@/server/db/client';
import type { Prisma } from '@/server/db/client';
import type { ServiceContext } from '../context';

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

export function actorColumns(ctx: Pick<ServiceContext, 'actor'>) {
  const { actor } = ctx;
  if (actor.kind === 'system') return { actorType: 'system', actorId: null, actorLabel: actor.label };
  if (actor.kind === 'user') return { actorType: 'user', actorId: actor.userId, actorLabel: actor.email };
  return { actorType: 'api_key', actorId: actor.userId, actorLabel: `${actor.email} via key "${actor.keyName}"` };
}

/**
 * Append one audit event. Call it inside the same transaction as the change it
 * describes, so a change without its audit row (or the reverse) cannot happen.
 */
export async function recordAudit(tx: DbTx, ctx: Pick<ServiceContext, 'actor' | 'requestId' | 'ip'>, entry: AuditEntry) {
  await tx.auditEvent.create({
    data: {
      ...actorColumns(ctx),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      summary: entry.summary,
      before: (entry.before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (entry.after ?? undefined) as Prisma.InputJsonValue | undefined,
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
    },
  });
}
