import 'server-only';
import { logger } from '@/server/logger';
import type { ServiceContext } from '../context';

export type MirrorOutcome = { mirrored: false; reason: 'not-configured' } | { mirrored: true; arn: string } | { mirrored: false; reason: 'failed'; error: string };

/**
 * AWS mode: bring the version's SageMaker model package in line with Postgres (the
 * source of truth) — create it if missing, then set the approval status. A mirror
 * failure never undoes the registry change: it is kept on the version (and shown
 * on its page), and the next transition or `models mirror` tries again.
 */
export async function mirrorModelVersion(ctx: ServiceContext, modelVersionId: string): Promise<MirrorOutcome> {
  const mirror = ctx.adapters.registryMirror;
  if (!mirror) return { mirrored: false, reason: 'not-configured' };
  const v = await ctx.db.modelVersion.findUniqueOrThrow({
    where: { id: modelVersionId },
    include: { transitions: { orderBy: { at: 'desc' }, take: 1, select: { comment: true } }, run: { select: { number: true } } },
  });
  try {
    const metrics = v.metrics as Record<string, unknown>;
    let arn = v.externalArn;
    if (!arn) {
      // SageMaker reads the metrics report from S3; with local storage the metadata alone carries the metrics.
      const report = ctx.adapters.storage.kind === 's3' ? await ctx.adapters.storage.put(`models/${v.modelName}/v${v.version}/metrics.json`, JSON.stringify(metrics), { contentType: 'application/json' }) : null;
      ({ arn } = await mirror.registerVersion({
        modelVersionId: v.id, modelName: v.modelName, version: v.version, artifactUri: v.artifactUri, sha256: v.artifactSha256, algorithm: v.algorithm,
        datasetVersionId: v.datasetVersionId, datasetHash: v.datasetHash, status: v.status,
        metrics: numericMetrics(metrics),
        description: `${v.modelName} v${v.version} from run #${v.run.number} (${v.algorithm})`,
        imageUri: null, metricsReportUri: report ? ctx.adapters.storage.uri(report.key) : null, codeVersion: v.codeVersion,
      }));
    }
    await mirror.setApprovalStatus(arn, v.status, v.transitions[0]?.comment ?? null);
    await ctx.db.modelVersion.update({ where: { id: v.id }, data: { externalArn: arn, externalError: null } });
    return { mirrored: true, arn };
  } catch (error) {
    const message = (error as Error).message;
    logger.warn({ modelVersionId, err: message }, 'could not mirror the model version to SageMaker');
    await ctx.db.modelVersion.update({ where: { id: v.id }, data: { externalError: message } });
    return { mirrored: false, reason: 'failed', error: message };
  }
}

/** The flat numbers SageMaker keeps: headline metrics and per-class precision/recall/F1. */
function numericMetrics(m: Record<string, unknown>): { accuracy: number; macro_f1: number; [k: string]: number } {
  const out: Record<string, number> = { accuracy: Number(m.accuracy ?? 0), macro_f1: Number(m.macro_f1 ?? 0) };
  for (const key of ['weighted_f1', 'log_loss', 'row_accuracy']) if (typeof m[key] === 'number') out[key] = m[key] as number;
  const perClass = (m.per_class ?? {}) as Record<string, Record<string, number>>;
  for (const [label, values] of Object.entries(perClass)) for (const k of ['precision', 'recall', 'f1'] as const) if (typeof values[k] === 'number') out[`${k}_${label}`] = values[k];
  return out as { accuracy: number; macro_f1: number; [k: string]: number };
}
