import 'server-only';
import { dayStart, monthRange } from '@/lib/costs';
import type { DayUsage } from '@/server/adapters/costs';
import { LOCAL_EQUIVALENT_INSTANCE, trainingCostUsd } from '@/server/costs/prices';
import { readInstances } from '../deployments/read-deployments';
import type { ServiceContext } from '../context';
import { countPredictions } from '../monitoring/prediction-counts';

/**
 * What the control plane measured on one UTC day, for the cost model:
 * finished runs, inference instance-hours, stored bytes, predictions answered.
 * Recording runs every 10 minutes, so what cannot be re-measured later (instance
 * lifetimes whose status file was overwritten, the day's storage size) is carried
 * over from the day's previous recording.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** An instance's life as its status file tells it: started, last heartbeat. */
export type InstanceInterval = { instance: string; from: string; to: string };

/** The day's cost-model rows from the previous recording, as far as measurement needs them. */
export type PreviousRecording = { component: string; deploymentId: string | null; details: unknown }[];

type RunForCost = { instanceType: string | null; durationMs: number | null; startedAt: Date | null; finishedAt: Date | null; costUsd: number | null };

/** How long a run used its instance: the recorded duration, else finish − start (runs failed by recovery have none). */
export function runDurationMs(run: RunForCost): number | null {
  if (run.durationMs !== null && run.durationMs > 0) return run.durationMs;
  if (run.startedAt && run.finishedAt) return Math.max(0, run.finishedAt.getTime() - run.startedAt.getTime());
  return null;
}

/** A run's cost: what was recorded when it finished (SageMaker's billable time), else its duration at its instance's price. */
export function runCostUsd(run: RunForCost): number | null {
  if (run.costUsd !== null) return run.costUsd;
  const ms = runDurationMs(run);
  if (ms === null || ms === 0) return null;
  return trainingCostUsd(run.instanceType ?? LOCAL_EQUIVALENT_INSTANCE, ms) ?? trainingCostUsd(LOCAL_EQUIVALENT_INSTANCE, ms);
}

/** When the platform started costing money: its first account. Days before it have no control-plane hours. */
export async function installedAt(ctx: Pick<ServiceContext, 'db'>): Promise<Date | null> {
  const first = await ctx.db.user.findFirst({ orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
  return first?.createdAt ?? null;
}

const overlapMs = (aFrom: number, aTo: number, bFrom: number, bTo: number) => Math.max(0, Math.min(aTo, bTo) - Math.max(aFrom, bFrom));

/** Merge instance lives seen now with those seen before (a restarted instance with a fixed id overwrites its file). */
export function mergeIntervals(...lists: InstanceInterval[][]): InstanceInterval[] {
  const byKey = new Map<string, InstanceInterval>();
  for (const interval of lists.flat()) {
    const key = `${interval.instance}|${interval.from}`;
    const seen = byKey.get(key);
    if (!seen || interval.to > seen.to) byKey.set(key, interval);
  }
  return [...byKey.values()].sort((a, b) => a.from.localeCompare(b.from) || a.instance.localeCompare(b.instance));
}

/**
 * Instance-hours within [from, to), split by the model version serving the
 * deployment at the time (its deploy/rollback windows); hours outside every
 * window (an instance waiting for a first model) have no version.
 */
export function splitInstanceHours(
  intervals: InstanceInterval[],
  windows: { modelVersionId: string; startedAt: Date; endedAt: Date | null }[],
  from: Date,
  to: Date,
): Map<string | null, number> {
  const hours = new Map<string | null, number>();
  const add = (version: string | null, ms: number) => ms > 0 && hours.set(version, (hours.get(version) ?? 0) + ms / HOUR_MS);
  for (const interval of intervals) {
    const start = Math.max(Date.parse(interval.from), from.getTime());
    const end = Math.min(Date.parse(interval.to), to.getTime());
    if (!(end > start)) continue;
    let covered = 0;
    for (const w of windows) {
      const ms = overlapMs(start, end, w.startedAt.getTime(), w.endedAt?.getTime() ?? Number.POSITIVE_INFINITY);
      add(w.modelVersionId, ms);
      covered += ms;
    }
    add(null, end - start - covered);
  }
  return hours;
}

function previousIntervals(previous: PreviousRecording, deploymentId: string): InstanceInterval[] {
  return previous
    .filter((row) => row.component === 'inference' && row.deploymentId === deploymentId)
    .flatMap((row) => ((row.details as { intervals?: InstanceInterval[] } | null)?.intervals ?? []));
}

function previousStorage(previous: PreviousRecording): DayUsage['storage'] {
  const row = previous.find((r) => r.component === 'storage');
  const d = row?.details as { bytes?: number; objects?: number; measuredAt?: string } | undefined;
  return d && typeof d.bytes === 'number' ? { bytes: d.bytes, objects: d.objects ?? 0, measuredAt: d.measuredAt ?? '' } : null;
}

export async function measureDay(ctx: ServiceContext, day: string, opts: { now: Date; installedAt: Date | null; previous: PreviousRecording }): Promise<DayUsage> {
  const start = dayStart(day);
  const end = new Date(start.getTime() + DAY_MS);
  const until = new Date(Math.min(end.getTime(), opts.now.getTime()));
  const coveredFrom = Math.max(start.getTime(), opts.installedAt?.getTime() ?? start.getTime());
  const hoursCovered = Math.max(0, until.getTime() - coveredFrom) / HOUR_MS;

  const runs = await ctx.db.run.findMany({
    where: { finishedAt: { gte: start, lt: end }, startedAt: { not: null } },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, instanceType: true, durationMs: true, startedAt: true, finishedAt: true, costUsd: true, modelVersion: { select: { id: true } } },
  });

  const deployments = await ctx.db.deployment.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true, name: true,
      events: { where: { startedAt: { lt: end }, OR: [{ endedAt: null }, { endedAt: { gt: start } }], action: { not: 'undeploy' } }, select: { modelVersionId: true, startedAt: true, endedAt: true } },
    },
  });
  const inference: DayUsage['inference'] = [];
  for (const dep of deployments) {
    const seen = (await readInstances({ ...ctx, now: () => opts.now }, dep.name)).map((s) => ({ instance: s.instanceId, from: s.startedAt, to: s.reportedAt }));
    const intervals = mergeIntervals(previousIntervals(opts.previous, dep.id), seen)
      .filter((i) => Date.parse(i.to) > start.getTime() && Date.parse(i.from) < until.getTime());
    for (const [modelVersionId, instanceHours] of splitInstanceHours(intervals, dep.events, start, until)) {
      inference.push({ deploymentId: dep.id, modelVersionId, instanceHours, details: { deployment: dep.name, intervals } });
    }
  }

  let storage = previousStorage(opts.previous);
  if (!storage && hoursCovered > 0) {
    const objects = await ctx.adapters.storage.list('');
    storage = { bytes: objects.reduce((sum, o) => sum + o.bytes, 0), objects: objects.length, measuredAt: opts.now.toISOString() };
  }

  // The day's predictions and requests per deployment and version, from the hourly prediction rollup (a day is whole hours).
  const predictions = new Map<string, { deploymentId: string; modelVersionId: string | null; count: number; requests: number }>();
  for (const c of await countPredictions(ctx.db, { from: start.getTime(), to: end.getTime() })) {
    const key = `${c.deploymentId}|${c.modelVersionId}`;
    const p = predictions.get(key) ?? predictions.set(key, { deploymentId: c.deploymentId, modelVersionId: c.modelVersionId, count: 0, requests: 0 }).get(key)!;
    p.count += c.predictions;
    p.requests += c.requests;
  }

  return {
    day,
    hoursCovered,
    daysInMonth: monthRange(day.slice(0, 7)).days,
    runs: runs.flatMap((run) => {
      const durationMs = runDurationMs(run);
      if (durationMs === null || durationMs === 0) return [];
      return [{ runId: run.id, runNumber: run.number, modelVersionId: run.modelVersion?.id ?? null, instanceType: run.instanceType ?? LOCAL_EQUIVALENT_INSTANCE, durationMs, recordedCostUsd: run.costUsd }];
    }),
    inference,
    storage,
    predictions: [...predictions.values()],
  };
}
