import 'server-only';
import type { ServiceContext } from '../context';
import { rollupRowsIn } from './rollup-spans';

/**
 * Confusion counts of predictions with feedback, per time bucket of when the
 * feedback came, from ConfusionRollup: the database keeps it equal to the
 * Prediction rows (a trigger adds each feedback, correction and deletion to the
 * minute and the hour of its feedbackAt). A 30-day range reads ~720 hour rows per
 * label pair plus the minutes at its ends, never the predictions themselves.
 * Counts are to the minute: a bucket belongs to the range when its minute starts in it.
 */
export type ConfusionRow = { t: number; truth: string; predicted: string; n: number };

/** [from, to) in ms, bucketed at `res` seconds. */
export async function readConfusion(ctx: Pick<ServiceContext, 'db'>, deploymentId: string, res: number, from: number, to: number): Promise<ConfusionRow[]> {
  if (!(to > from)) return [];
  const rows = await ctx.db.$queryRaw<{ b: bigint; truth: string; predicted: string; n: number }[]>`
    select floor(extract(epoch from "bucketStart")::float8 / ${res})::bigint as b, "trueLabel" as truth, "predictedLabel" as predicted, sum(n)::float8 as n
    from "ConfusionRollup"
    where "deploymentId" = ${deploymentId} and ${rollupRowsIn(from, to, res)}
    group by 1, 2, 3
    having sum(n) > 0`;
  return rows.map((r) => ({ t: Number(r.b) * res * 1000, truth: r.truth, predicted: r.predicted, n: r.n }));
}
