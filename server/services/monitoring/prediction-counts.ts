import 'server-only';
import { Prisma, type Db, type DbTx } from '@/server/db/client';
import { hourSpans, inSpans, planEdges } from './rollup-spans';

/**
 * How many predictions (and requests: first baskets of a request) a time range
 * holds, by deployment, model version and predicted class: PredictionRollup for
 * its whole hours (the database keeps it equal to the Prediction rows), and for
 * its ends the raw rows — or the end's hour row minus the raw rows of the rest of
 * that hour, when that reads fewer (planEdges). Exact to the millisecond; a month
 * costs ~720 rollup rows per class. Raw rows are read through the (deploymentId,
 * at) index: give a deployment, or hour-aligned bounds.
 */
export type PredictionCount = { deploymentId: string; modelVersionId: string | null; label: string; predictions: number; requests: number };

export async function countPredictions(db: Db | DbTx, q: { from: number; to: number; deploymentId?: string }): Promise<PredictionCount[]> {
  const { hours, edges } = hourSpans(q.from, q.to);
  const plan = q.deploymentId && edges.length ? await planEdges(db, q.deploymentId, edges) : { hours: [], plus: edges, minus: [] };
  const rollupHours = [...(hours ? [hours] : []), ...plan.hours];
  const dep = q.deploymentId ? Prisma.sql`"deploymentId" = ${q.deploymentId}` : Prisma.sql`true`;
  const parts: Prisma.Sql[] = [];
  if (rollupHours.length) {
    parts.push(Prisma.sql`
      select "deploymentId" as d, nullif("modelVersionId", '') as mv, "predictedLabel" as label, predictions::bigint as p, requests::bigint as r
      from "PredictionRollup" where ${dep} and ${inSpans(Prisma.sql`"bucketStart"`, rollupHours)}`);
  }
  for (const [sign, spans] of [[1, plan.plus], [-1, plan.minus]] as const) {
    if (!spans.length) continue;
    parts.push(Prisma.sql`
      select "deploymentId" as d, "modelVersionId" as mv, "predictedLabel" as label, ${sign} * count(*) as p, ${sign} * count(*) filter (where item = 0) as r
      from "Prediction" where ${dep} and ${inSpans(Prisma.sql`at`, spans)} group by 1, 2, 3`);
  }
  if (!parts.length) return [];
  const rows = await db.$queryRaw<{ d: string; mv: string | null; label: string; p: bigint; r: bigint }[]>`
    select d, mv, label, sum(p)::bigint as p, sum(r)::bigint as r from (${Prisma.join(parts, ' union all ')}) x
    group by 1, 2, 3 having sum(p) > 0`;
  return rows.map((r) => ({ deploymentId: r.d, modelVersionId: r.mv, label: r.label, predictions: Number(r.p), requests: Number(r.r) }));
}
