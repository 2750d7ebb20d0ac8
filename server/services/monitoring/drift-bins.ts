import 'server-only';
import { Prisma, type Db, type DbTx } from '@/server/db/client';
import { DRIFT_FEATURES, MISSING_BIN, OTHER_BIN, type BaselineFeatures, type FeatureBaseline } from './drift-psi';
import { inSpans, type Span } from './rollup-spans';

/**
 * A prediction's drift features as bin keys, computed in SQL against one
 * baseline: the same keys whether counted from raw rows at read time (drift.ts)
 * or kept per hour in DriftRollup (drift-rollups.ts). A key is one integer per
 * feature — feature index × KEY_STRIDE + bin + KEY_OFFSET (bins run from −1) —
 * and key 0 counts the rows that carry features at all.
 */
const KEY_STRIDE = 1000;
const KEY_OFFSET = 2;

export type DriftFeature = (typeof DRIFT_FEATURES)[number];

/** The features a baseline can be compared on, in key order. */
export function driftFeatures(baseline: BaselineFeatures): DriftFeature[] {
  return DRIFT_FEATURES.filter((f) => baseline[f.key]?.kind === f.kind);
}

/** int[] SQL of the keys of the row `p` (its `features` jsonb): 0, then one per feature (null where it has no bin). */
export function binKeysSql(baseline: BaselineFeatures): Prisma.Sql {
  const keys = driftFeatures(baseline).map((f, i) => Prisma.sql`${i * KEY_STRIDE + KEY_OFFSET} + ${binSql(f.key, baseline[f.key]!)}`);
  return Prisma.sql`array[0, ${Prisma.join(keys)}]::int[]`;
}

/** Bin key counts of a deployment's raw Prediction rows in the spans (jsonb extraction and width_bucket in Postgres), optionally sampled. */
export function countBinKeys(db: Db | DbTx, deploymentId: string, spans: Span[], baseline: BaselineFeatures, sample: Prisma.Sql = Prisma.empty) {
  return db.$queryRaw<{ k: number | null; n: number }[]>`
    select k, count(*)::int as n
    from (select p.features from "Prediction" p
          where p."deploymentId" = ${deploymentId} and ${inSpans(Prisma.sql`p.at`, spans)} and p.features is not null ${sample}
          offset 0) p
    cross join lateral unnest(${binKeysSql(baseline)}) as k
    group by k`;
}

/** Key counts back to bin counts per feature (numeric bins by index, categorical by value), and the rows with features. */
export function decodeBinCounts(rows: readonly { k: number | null; n: number }[], baseline: BaselineFeatures): { counts: Map<string, Map<string, number>>; withFeatures: number } {
  const defs = driftFeatures(baseline);
  const counts = new Map<string, Map<string, number>>(defs.map((f) => [f.key, new Map()]));
  let withFeatures = 0;
  // In key order, so bins a baseline does not name ((missing), (other)) always come out in the same order.
  for (const r of [...rows].sort((a, b) => (a.k ?? -1) - (b.k ?? -1))) {
    if (r.k === null) continue;
    if (r.k === 0) {
      withFeatures += r.n;
      continue;
    }
    const f = defs[Math.floor(r.k / KEY_STRIDE)]!;
    const bin = (r.k % KEY_STRIDE) - KEY_OFFSET;
    const b = baseline[f.key]!;
    const name = b.kind === 'numeric' ? String(bin) : bin === -1 ? MISSING_BIN : bin === 0 ? OTHER_BIN : knownValues(b)[bin - 1]!;
    const m = counts.get(f.key)!;
    m.set(name, (m.get(name) ?? 0) + r.n);
  }
  return { counts, withFeatures };
}

/** A categorical baseline's values, sorted: keys must not depend on the order a JSON object came back in (jsonb reorders keys). */
const knownValues = (b: Extract<FeatureBaseline, { kind: 'categorical' }>) => Object.keys(b.shares).filter((k) => k !== OTHER_BIN && k !== MISSING_BIN).sort();

/**
 * The SQL giving a prediction's bin for one feature as an integer: the width_bucket
 * index (numeric; null when absent), or −1 missing, 0 a value training never had,
 * 1… the position among the training values (categorical).
 */
function binSql(key: string, baseline: FeatureBaseline): Prisma.Sql {
  if (baseline.kind === 'numeric') {
    const value = Prisma.sql`case when jsonb_typeof(p.features -> ${key}::text) = 'number' then (p.features -> ${key}::text)::float8 end`;
    if (!baseline.edges.length) return Prisma.sql`case when ${value} is not null then 0 end`;
    const edges = baseline.edges.filter(Number.isFinite).map((e) => Prisma.raw(String(e)));
    return Prisma.sql`width_bucket(${value}, array[${Prisma.join(edges)}]::float8[])`;
  }
  const value = Prisma.sql`nullif(btrim(p.features ->> ${key}::text), '')`;
  const known = knownValues(baseline);
  const position = known.length ? Prisma.sql`array_position(array[${Prisma.join(known)}]::text[], ${value})` : Prisma.sql`null::int`;
  return Prisma.sql`coalesce(${position}, case when ${value} is null then -1 else 0 end)`;
}
