import 'server-only';
import { Prisma, type Db, type DbTx } from '@/server/db/client';

/**
 * How a time range [from, to) is read from rollups kept at two grains: the whole
 * hours inside it from the hour rows, the rest — under an hour at each end — from
 * the finer rows (minute rollups, or the raw rows themselves). A 30-day range is
 * then ~720 hour rows and at most two hours of fine ones, however busy it was.
 */
export const HOUR_MS = 3_600_000;

export type Span = { from: number; to: number };
export type HourSpans = { hours: Span | null; edges: Span[] };

export function hourSpans(from: number, to: number): HourSpans {
  const first = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const last = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (!(first < last)) return { hours: null, edges: to > from ? [{ from, to }] : [] };
  const edges: Span[] = [];
  if (from < first) edges.push({ from, to: first });
  if (last < to) edges.push({ from: last, to });
  return { hours: { from: first, to: last }, edges };
}

const ts = (ms: number) => Prisma.sql`${new Date(ms).toISOString()}::timestamp(3)`;

/** `column` in any of the spans, as SQL (false for none). */
export function inSpans(column: Prisma.Sql, spans: readonly Span[]): Prisma.Sql {
  if (!spans.length) return Prisma.sql`false`;
  return Prisma.sql`(${Prisma.join(spans.map((s) => Prisma.sql`(${column} >= ${ts(s.from)} and ${column} < ${ts(s.to)})`), ' or ')})`;
}

/**
 * Rows of a two-grain rollup table covering [from, to): hour rows (`bucketSeconds`
 * 3600) for the whole hours, minute rows (60) for the ends. Below an hour's
 * resolution the series needs minutes anyway, so it reads minute rows only. Each
 * piece is its own (bucketSeconds, bucketStart range) condition, so Postgres reads
 * each through the (deploymentId, bucketSeconds, bucketStart) index.
 */
export function rollupRowsIn(from: number, to: number, resolutionSeconds: number): Prisma.Sql {
  const piece = (seconds: number, s: Span) => Prisma.sql`("bucketSeconds" = ${seconds} and "bucketStart" >= ${ts(s.from)} and "bucketStart" < ${ts(s.to)})`;
  if (resolutionSeconds < 3600 || resolutionSeconds % 3600 !== 0) return piece(60, { from, to });
  const { hours, edges } = hourSpans(from, to);
  const pieces = [...edges.map((e) => piece(60, e)), ...(hours ? [piece(3600, hours)] : [])];
  return pieces.length ? Prisma.sql`(${Prisma.join(pieces, ' or ')})` : Prisma.sql`false`;
}

/**
 * How to count each end of a range that an hour rollup cannot (a partial hour):
 * from its own raw rows, or as its hour's rollup row minus the raw rows of the
 * rest of that hour — whichever reads fewer raw rows. A range ending now ends in
 * the current hour, whose rest is the future: its row, minus nothing.
 */
export type EdgePlan = {
  /** Hours whose rollup row counts (plus), with `minus` taken out. */
  hours: Span[]; plus: Span[]; minus: Span[];
  /** Raw rows the plan reads; and the rows of the ends themselves (read all from raw rows instead). */
  rawRows: number; edgeRows: number;
};

export async function planEdges(db: Db | DbTx, deploymentId: string, edges: readonly Span[]): Promise<EdgePlan> {
  const plan: EdgePlan = { hours: [], plus: [], minus: [], rawRows: 0, edgeRows: 0 };
  for (const edge of edges) {
    const hour = Math.floor(edge.from / HOUR_MS) * HOUR_MS;
    const rest = [{ from: hour, to: edge.from }, { from: edge.to, to: hour + HOUR_MS }].filter((s) => s.to > s.from);
    // One index-only pass over the hour through (deploymentId, at).
    const [counts] = await db.$queryRaw<{ inside: number; outside: number }[]>`
      select count(*) filter (where ${inSpans(Prisma.sql`at`, [edge])})::int as inside, count(*) filter (where ${inSpans(Prisma.sql`at`, rest)})::int as outside
      from "Prediction" where "deploymentId" = ${deploymentId} and at >= ${ts(hour)} and at < ${ts(hour + HOUR_MS)}`;
    plan.edgeRows += counts?.inside ?? 0;
    if (counts && counts.outside < counts.inside) {
      plan.hours.push({ from: hour, to: hour + HOUR_MS });
      plan.minus.push(...rest);
      plan.rawRows += counts.outside;
    } else {
      plan.plus.push(edge);
      plan.rawRows += counts?.inside ?? 0;
    }
  }
  return plan;
}
