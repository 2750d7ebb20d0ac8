import 'server-only';
import { z } from 'zod';
import type { Prisma } from '@/server/db/client';
import { parseInput } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';

export const auditQuery = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(320).optional(),
  entityType: z.string().trim().max(50).optional(),
  q: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.input<typeof auditQuery>;

export async function listAuditEvents(ctx: ServiceContext, input: AuditQuery) {
  assertCan(ctx, 'read');
  const query = parseInput(auditQuery, input);
  const where: Prisma.AuditEventWhereInput = {
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.actor ? { actorLabel: { contains: query.actor, mode: 'insensitive' } } : {}),
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.q ? { summary: { contains: query.q, mode: 'insensitive' } } : {}),
    ...(query.from || query.to ? { at: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lte: query.to } : {}) } } : {}),
  };
  const [total, events] = await Promise.all([
    ctx.db.auditEvent.count({ where }),
    ctx.db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
  ]);
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
    events: events.map((e) => ({ ...e, id: e.id.toString() })),
  };
}

/** Distinct values for the filter menus. */
export async function auditFacets(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  const [actions, entityTypes] = await Promise.all([
    ctx.db.auditEvent.findMany({ distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } }),
    ctx.db.auditEvent.findMany({ distinct: ['entityType'], select: { entityType: true }, orderBy: { entityType: 'asc' } }),
  ]);
  return { actions: actions.map((a) => a.action), entityTypes: entityTypes.map((e) => e.entityType) };
}
