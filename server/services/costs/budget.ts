import 'server-only';
import { budgetInputSchema, DEFAULT_BUDGET_USD, formatUsd } from '@/lib/costs';
import type { Db, DbTx, Prisma } from '@/server/db/client';
import { parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, type ServiceContext } from '../context';

export const BUDGET_SETTING = 'cost-budget';

export type Budget = { monthly_usd: number; default_usd: number; is_default: boolean; updated_at: string | null };

/** The monthly budget in force: the admins' setting, or $500. */
export async function readBudget(db: Db | DbTx): Promise<Budget> {
  const row = await db.setting.findUnique({ where: { key: BUDGET_SETTING } });
  const stored = (row?.value as { monthlyUsd?: unknown } | undefined)?.monthlyUsd;
  const valid = typeof stored === 'number' && Number.isFinite(stored) && stored > 0;
  return {
    monthly_usd: valid ? stored : DEFAULT_BUDGET_USD,
    default_usd: DEFAULT_BUDGET_USD,
    is_default: !valid,
    updated_at: valid && row ? row.updatedAt.toISOString() : null,
  };
}

export async function getBudget(ctx: ServiceContext): Promise<Budget> {
  assertCan(ctx, 'read');
  return readBudget(ctx.db);
}

/** Admins: `{ monthly_usd }` (USD, above 0). Audited with the old and new amount. */
export async function setBudget(ctx: ServiceContext, input: unknown): Promise<Budget> {
  assertCan(ctx, 'settings:write');
  const { monthly_usd } = parseInput(budgetInputSchema, input);
  const amount = Math.round(monthly_usd * 100) / 100;
  return ctx.db.$transaction(async (tx) => {
    const before = await readBudget(tx);
    const value = { monthlyUsd: amount } as Prisma.InputJsonValue;
    await tx.setting.upsert({ where: { key: BUDGET_SETTING }, create: { key: BUDGET_SETTING, value, updatedById: actorUserId(ctx.actor) }, update: { value, updatedById: actorUserId(ctx.actor) } });
    await recordAudit(tx, ctx, {
      action: 'settings.cost_budget', entityType: 'setting', entityId: BUDGET_SETTING,
      summary: `Changed the monthly cost budget from ${formatUsd(before.monthly_usd)} to ${formatUsd(amount)}`,
      before: { monthlyUsd: before.monthly_usd }, after: { monthlyUsd: amount },
    });
    return readBudget(tx);
  });
}
