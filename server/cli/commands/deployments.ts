import 'server-only';
import type { Command } from 'commander';
import { deployModel, rollbackDeployment } from '@/server/services/deployments/deploy-model';
import { getDeployment, listDeployments } from '@/server/services/deployments/read-deployments';
import { AppError } from '@/server/errors';
import { replayTraffic } from '@/server/services/deployments/replay-traffic';
import { sampleBaskets } from '@/server/services/deployments/sample-baskets';
import { predictionUrl } from '@/server/services/deployments/try-prediction';
import { resolveTrainableVersion } from '@/server/services/runs/resolve-dataset-version';
import { withRuntime } from '../command';
import { printJson, table } from '../output';
import { note } from '../runtime';

function positive(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new AppError('VALIDATION', `${name} must be a number above 0 and at most ${max} (got "${value}")`);
  return n;
}

const when = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace('T', ' ').slice(0, 19) : '');

export function registerDeployments(program: Command) {
  program
    .command('deploy')
    .description('deploy an approved model version to a named deployment (the inference service swaps it in)')
    .argument('<version>', 'version id, v3 or 3')
    .option('--deployment <name>', 'deployment name', 'production')
    .option('--comment <text>', 'why')
    .option('--json', 'print JSON')
    .action((ref: string, o: { deployment: string; comment?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const result = await deployModel(rt.ctx, { model: ref, deployment: o.deployment, ...(o.comment ? { comment: o.comment } : {}) });
        if (o.json) return printJson(result);
        console.log(`${result.deployment} → ${result.model}${result.previous ? ` (was ${result.previous})` : ''}; manifest revision ${result.revision}`);
      }),
    );

  program
    .command('traffic')
    .description("replay baskets from a dataset against a deployment's prediction API at a steady rate")
    .option('--deployment <name>', 'deployment name', 'production')
    .option('--rps <n>', 'requests per second', '50')
    .option('--duration <seconds>', 'how long', '30')
    .option('--dataset <ref>', "dataset to take baskets from (default: the deployed model's training dataset version)")
    .option('--feedback <share>', 'share of answers whose true label is sent to /v1/feedback (0..1)', '0.2')
    .option('--url <url>', 'prediction API base URL (default: what the deployment\'s instances report, else INFERENCE_URL / the local service)')
    .option('--key <key>', 'API key with the predict scope (default: $PRICESENSE_API_KEY, else the control plane\'s own key)')
    .option('--json', 'print the summary as JSON: sent, ok, errors, p50_ms, p95_ms, p99_ms …')
    .action((o: { deployment: string; rps: string; duration: string; dataset?: string; feedback: string; url?: string; key?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const rps = positive('--rps', o.rps, 100_000);
        const durationSeconds = positive('--duration', o.duration, 86_400);
        const feedbackShare = Number(o.feedback);
        if (!(feedbackShare >= 0 && feedbackShare <= 1)) throw new AppError('VALIDATION', `--feedback must be between 0 and 1 (got "${o.feedback}")`);
        const key = o.key ?? process.env.PRICESENSE_API_KEY ?? rt.ctx.adapters.predictKey;
        if (!key) throw new AppError('VALIDATION', 'No API key: pass --key or set PRICESENSE_API_KEY.');
        const deployment = await getDeployment(rt.ctx, o.deployment);
        let version: { id: string; datasetId: string };
        if (o.dataset) version = await resolveTrainableVersion(rt.db, o.dataset);
        else {
          const mv = deployment.currentModelVersion && (await rt.db.modelVersion.findUniqueOrThrow({ where: { id: deployment.currentModelVersion.id }, select: { datasetVersion: { select: { id: true, datasetId: true } } } }));
          if (!mv) throw new AppError('CONFLICT', `Nothing is deployed to ${o.deployment}; deploy a model first or pass --dataset.`);
          version = mv.datasetVersion;
        }
        const url = o.url ?? (await predictionUrl(rt.ctx, o.deployment));
        note(`sampling baskets…`);
        const baskets = await sampleBaskets(rt.ctx, version, { count: Math.min(5000, Math.max(100, Math.ceil(rps * durationSeconds))), seed: 1 });
        note(`replaying ${baskets.length} baskets at ${rps}/s for ${durationSeconds} s against ${url}`);
        const report = await replayTraffic({
          url, key, baskets, rps, durationSeconds, feedbackShare,
          onProgress: (p) => note(`  ${Math.round(p.elapsedSeconds)} s: sent ${p.sent}, ok ${p.ok}, errors ${p.errors}, p95 ${p.p95_ms?.toFixed(1) ?? '–'} ms`),
        });
        const summary = { deployment: o.deployment, url, ...report };
        if (o.json) printJson(summary);
        else console.log(`sent ${report.sent}, ok ${report.ok}, errors ${report.errors}${report.errors ? ` ${JSON.stringify(report.errorsByStatus)} — first: ${report.firstError}` : ''}; ${report.achievedRps.toFixed(1)} req/s; latency p50 ${report.p50_ms?.toFixed(2)} ms, p95 ${report.p95_ms?.toFixed(2)} ms, p99 ${report.p99_ms?.toFixed(2)} ms; feedback sent ${report.feedbackSent}`);
        if (report.errors > 0 || report.ok === 0) process.exitCode = 1;
      }),
    );

  const deployments = program.command('deployments').description('what serves where: list, show history, roll back');

  deployments
    .command('list')
    .description('every deployment, the version serving it, and its inference instances')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const list = await listDeployments(rt.ctx);
        if (o.json) return printJson(list);
        console.log(table(list.map((d) => ({
          deployment: d.name, model: d.current ? `${d.current.modelName} v${d.current.version}` : '(none)', since: when(d.currentSince), by: d.lastChange?.actorLabel ?? '',
          instances: d.instances.filter((i) => !i.stale).map((i) => `${i.state}${i.model ? ` v${i.model.version}` : ''}`).join(', ') || 'none reporting', revision: d.revision,
        })), ['deployment', 'model', 'since', 'by', 'instances', 'revision']));
      }),
    );

  deployments
    .command('show')
    .description('one deployment and its full history')
    .argument('<name>', 'deployment name')
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const d = await getDeployment(rt.ctx, name);
        if (o.json) return printJson(d);
        console.log(`${d.name}: ${d.currentModelVersion ? `${d.currentModelVersion.modelName} v${d.currentModelVersion.version}` : 'nothing'} since ${when(d.currentSince)} (manifest revision ${d.revision})`);
        for (const i of d.instances) console.log(`  instance ${i.instanceId} ${i.stale ? '(gone)' : i.state} at ${i.url}${i.lastError ? ` — last error: ${i.lastError.message}` : ''}`);
        console.log(table(d.events.map((e) => ({ version: `v${e.modelVersion.version}`, action: e.action, by: e.actorLabel, from: when(e.startedAt), until: e.endedAt ? when(e.endedAt) : 'now', comment: e.comment ?? '' })), ['version', 'action', 'by', 'from', 'until', 'comment']));
      }),
    );

  deployments
    .command('rollback')
    .description('go back to the previous version (or --to an earlier one that served here)')
    .argument('<name>', 'deployment name')
    .option('--to <version>', 'version id, v3 or 3')
    .option('--comment <text>', 'why')
    .option('--json', 'print JSON')
    .action((name: string, o: { to?: string; comment?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const result = await rollbackDeployment(rt.ctx, name, { ...(o.to ? { to: o.to } : {}), ...(o.comment ? { comment: o.comment } : {}) });
        if (o.json) return printJson(result);
        console.log(`${result.deployment} rolled back to ${result.model} (was ${result.previous}); manifest revision ${result.revision}`);
      }),
    );
}
