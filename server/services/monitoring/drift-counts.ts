import 'server-only';
import { Prisma, type Db, type DbTx } from '@/server/db/client';
import { countBinKeys } from './drift-bins';
import type { BaselineFeatures } from './drift-psi';
import { readDriftRollup } from './drift-rollups';
import { hourSpans, planEdges, type Span } from './rollup-spans';

/**
 * Drift bin key counts of a deployment's traffic in [from, to) against a baseline,
 * read as cheaply as exactness allows:
 *
 * - hours binned (drift-rollups.ts): the whole hours from their bin rows, each end
 *   from its raw rows or as its hour's row minus the rest of that hour (planEdges;
 *   a range ending now costs nothing at that end). Where the raw rows are few —
 *   always when the range holds at most `maxRows` predictions — they are binned
 *   exactly; past that, a hash sample of about EDGE_ROWS of them is binned and
 *   scaled up (at most one partial hour: 1/720 of a 30-day range);
 * - not binned yet (a version just deployed, its history still being binned):
 *   the raw rows of the whole range, a hash sample of about `maxRows` past that
 *   many, as before bins existed.
 */
const HASH_MASK = 0xfffff;
export const EDGE_ROWS = 2000;

const sampleOf = (rate: number) => {
  const k = Math.max(1, Math.ceil(rate * (HASH_MASK + 1)));
  return { sql: rate < 1 ? Prisma.sql`and (hashtext(p."requestId" || ':' || p.item::text) & ${HASH_MASK}) < ${k}` : Prisma.empty, scale: rate < 1 ? (HASH_MASK + 1) / k : 1 };
};

export async function countDriftKeys(
  db: Db | DbTx,
  q: { deploymentId: string; modelVersionId: string; from: number; to: number },
  baseline: BaselineFeatures,
  total: number,
  maxRows: number,
  edgeRows = EDGE_ROWS,
): Promise<{ k: number | null; n: number }[]> {
  const { hours, edges } = hourSpans(q.from, q.to);
  const bins = (span: Span) => readDriftRollup(db, { deploymentId: q.deploymentId, modelVersionId: q.modelVersionId, hours: span });
  let plan = hours ? await planEdges(db, q.deploymentId, edges) : null;
  let binned = null;
  if (hours && plan) {
    const all = [hours, ...plan.hours];
    binned = await bins({ from: Math.min(...all.map((s) => s.from)), to: Math.max(...all.map((s) => s.to)) });
    // The ends' hours not binned (older than the binned history): their raw rows, then.
    if (!binned && plan.hours.length) {
      plan = { hours: [], plus: edges, minus: [], rawRows: plan.edgeRows, edgeRows: plan.edgeRows };
      binned = await bins(hours);
    }
  }
  // Counts of a sample stay unscaled here: shares are what PSI compares, and the count says what it stands on.
  if (!binned || !plan) return countBinKeys(db, q.deploymentId, [{ from: q.from, to: q.to }], baseline, sampleOf(Math.min(1, maxRows / total)).sql);
  const sample = sampleOf(total > maxRows && plan.rawRows > edgeRows ? edgeRows / plan.rawRows : 1);
  const [plus, minus] = await Promise.all([
    plan.plus.length ? countBinKeys(db, q.deploymentId, plan.plus, baseline, sample.sql) : [],
    plan.minus.length ? countBinKeys(db, q.deploymentId, plan.minus, baseline, sample.sql) : [],
  ]);
  const byKey = new Map<number | null, number>();
  const add = (rows: readonly { k: number | null; n: number }[], factor: number) => {
    for (const r of rows) byKey.set(r.k, (byKey.get(r.k) ?? 0) + r.n * factor);
  };
  add(binned, 1);
  add(plus, sample.scale);
  add(minus, -sample.scale);
  return [...byKey].map(([k, n]) => ({ k, n: Math.max(0, Math.round(n)) })).filter((r) => r.n > 0);
}
