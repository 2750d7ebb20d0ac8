import 'server-only';
import { DEFAULT_GATE_THRESHOLDS, gateThresholdsSchema, type GateThresholds } from '@/lib/kpi-gates';
import type { Db, DbTx, Prisma } from '@/server/db/client';
import { parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, actorUserId, type ServiceContext } from '../context';

const SETTING = 'kpi-gates';

/** The thresholds in force: the stored setting, or the defaults (accuracy ≥ 0.75, macro F1 ≥ 0.70, every class precision ≥ 0.65). */
export async function readGateThresholds(db: Db | DbTx): Promise<GateThresholds> {
  const row = await db.setting.findUnique({ where: { key: SETTING } });
  const parsed = gateThresholdsSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_GATE_THRESHOLDS;
}

export async function getGateThresholds(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  return { thresholds: await readGateThresholds(ctx.db), defaults: DEFAULT_GATE_THRESHOLDS };
}

/** Change the thresholds for future registrations (admins). Partial input keeps the other values. */
export async function updateGateThresholds(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'settings:write');
  const partial = parseInput(gateThresholdsSchema.partial(), input);
  return ctx.db.$transaction(async (tx) => {
    const before = await readGateThresholds(tx);
    const after = { ...before, ...partial };
    const value = after as unknown as Prisma.InputJsonValue;
    await tx.setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value, updatedById: actorUserId(ctx.actor) }, update: { value, updatedById: actorUserId(ctx.actor) } });
    await recordAudit(tx, ctx, { action: 'settings.kpi_gates', entityType: 'setting', entityId: SETTING, summary: `Changed the KPI gates to accuracy ≥ ${after.accuracy}, macro F1 ≥ ${after.macroF1}, every class precision ≥ ${after.minClassPrecision}`, before, after });
    return after;
  });
}
