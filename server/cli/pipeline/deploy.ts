import 'server-only';
import { ApiError, type ApiClient } from './api-client';
import { PipelineError, pollUntil, type Reporter } from './progress';

/**
 * The pipeline's deploy step for an approved model version, through the REST API:
 * deploy it, wait until every live inference instance reports serving it, send
 * smoke predictions to the prediction API, and on any failure roll the deployment
 * back to the version it served before and fail with the reason.
 */
export type DeployOptions = {
  model: string;
  deployment: string;
  /** Smoke predictions after the rollout (0: none). */
  smoke: number;
  smokeSeed?: number;
  /** Fail the smoke check below this accuracy on the sampled (labelled) baskets; 0 = report only. */
  minSmokeAccuracy?: number;
  /** The prediction API as the pipeline reaches it (a load balancer); default: the URL a live instance reports. */
  inferenceUrl?: string;
  predictKey: string;
  comment?: string;
  timeoutSeconds: number;
  pollSeconds: number;
  fetch?: typeof fetch;
};

type ModelView = { id: string; modelName: string; version: number; status: string };
type Instance = {
  instanceId: string; url: string; state: 'waiting' | 'serving' | 'error'; stale: boolean; manifestRevision: number | null;
  model: { versionId: string; version: number } | null; lastError: { message: string; versionId: string | null } | null;
};
type DeploymentView = { name: string; revision: number; currentModelVersion: { id: string; modelName: string; version: number } | null; instances: Instance[] };
type Switched = { deployment: string; modelVersionId: string; model: string; previous: string | null; revision: number };
type Sample = { baskets: { basket: unknown; trueLabel: string | null }[] };

export type SmokeReport = { sent: number; ok: number; accuracy: number | null; p50Ms: number | null; maxMs: number | null; url: string; firstError: string | null };
export type DeployOutcome = {
  deployment: string;
  model: { id: string; name: string; version: number };
  previous: string | null;
  revision: number | null;
  instances: { instanceId: string; state: string; version: number | null }[];
  smoke: SmokeReport | null;
  rolledBack: { to: string; revision: number } | null;
};

const label = (m: { modelName: string; version: number }) => `${m.modelName} v${m.version}`;
const live = (d: DeploymentView) => d.instances.filter((i) => !i.stale);

/** Every live instance serves the version, or one refused it: the rollout is decided either way. */
function rolloutState(d: DeploymentView, versionId: string) {
  const instances = live(d);
  const refused = instances.find((i) => i.state === 'error' && i.lastError?.versionId === versionId);
  const serving = instances.filter((i) => i.state === 'serving' && i.model?.versionId === versionId);
  return { instances, refused, serving, complete: instances.length > 0 && serving.length === instances.length };
}

async function waitForRollout(api: ApiClient, report: Reporter, opts: DeployOptions, target: { id: string; label: string }) {
  let last = '';
  const d = await pollUntil(report, {
    what: `${opts.deployment} to serve ${target.label}`,
    timeoutSeconds: opts.timeoutSeconds,
    pollSeconds: opts.pollSeconds,
    read: () => api.get<DeploymentView>(`/api/v1/deployments/${opts.deployment}`),
    done: (view) => {
      const s = rolloutState(view, target.id);
      return s.complete || Boolean(s.refused);
    },
    describe: (view) => {
      const s = rolloutState(view, target.id);
      const detail = s.instances.map((i) => `${i.instanceId}: ${i.state}${i.model ? ` v${i.model.version}` : ''}`).join(', ');
      const line = s.instances.length ? `${opts.deployment}: ${s.serving.length}/${s.instances.length} instance(s) serve ${target.label} (${detail})` : `${opts.deployment}: no inference instance has reported yet`;
      if (line === last) return null;
      last = line;
      return line;
    },
  });
  const s = rolloutState(d, target.id);
  if (s.refused) throw new PipelineError(`inference instance ${s.refused.instanceId} refused ${target.label}: ${s.refused.lastError?.message ?? 'no reason given'}`);
  return s.instances;
}

async function smokeCheck(api: ApiClient, report: Reporter, opts: DeployOptions, target: { id: string; label: string }, instances: Instance[]): Promise<SmokeReport> {
  const url = (opts.inferenceUrl ?? instances.find((i) => i.state === 'serving')?.url ?? '').replace(/\/+$/, '');
  if (!url) throw new PipelineError('no inference URL for the smoke check: pass --inference-url (the instances did not report one)');
  const { baskets } = await api.get<Sample>(`/api/v1/deployments/${opts.deployment}/sample-baskets`, { count: opts.smoke, seed: opts.smokeSeed ?? 1 });
  report.info(`Smoke check: ${baskets.length} prediction(s) to ${url}/v1/predict…`);
  const doFetch = opts.fetch ?? fetch;
  const latencies: number[] = [];
  let ok = 0;
  let correct = 0;
  let labelled = 0;
  let firstError: string | null = null;
  for (const [index, sample] of baskets.entries()) {
    const started = performance.now();
    let problem: string | null = null;
    try {
      const response = await doFetch(`${url}/v1/predict`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.predictKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ basket: sample.basket }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json().catch(() => null)) as { model?: { versionId?: string; version?: number }; prediction?: { label?: string }; error?: { message?: string } } | null;
      latencies.push(performance.now() - started);
      if (!response.ok) problem = `HTTP ${response.status}: ${body?.error?.message ?? 'no message'}`;
      else if (body?.model?.versionId !== target.id) problem = `answered by model version ${body?.model?.version ?? '?'} instead of ${target.label}`;
      else if (!body.prediction?.label) problem = 'no predicted label in the answer';
      else {
        ok++;
        if (sample.trueLabel) {
          labelled++;
          if (body.prediction.label === sample.trueLabel) correct++;
        }
      }
    } catch (error) {
      problem = `no answer: ${(error as Error).message}`;
    }
    if (problem && !firstError) firstError = `prediction ${index + 1}: ${problem}`;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const smoke: SmokeReport = {
    sent: baskets.length, ok, url, firstError,
    accuracy: labelled ? correct / labelled : null,
    p50Ms: sorted.length ? Math.round(sorted[Math.floor((sorted.length - 1) / 2)]!) : null,
    maxMs: sorted.length ? Math.round(sorted.at(-1)!) : null,
  };
  report.info(`Smoke check: ${ok}/${smoke.sent} OK${smoke.accuracy !== null ? `, ${(smoke.accuracy * 100).toFixed(0)}% correct` : ''}${smoke.p50Ms !== null ? `, p50 ${smoke.p50Ms} ms, max ${smoke.maxMs} ms` : ''}.`);
  if (ok < smoke.sent) throw new PipelineError(`smoke check failed: ${smoke.sent - ok} of ${smoke.sent} predictions failed (${firstError})`, smoke);
  if (opts.minSmokeAccuracy && (smoke.accuracy ?? 0) < opts.minSmokeAccuracy) {
    throw new PipelineError(`smoke check failed: ${((smoke.accuracy ?? 0) * 100).toFixed(0)}% of the sampled baskets predicted correctly, below --min-smoke-accuracy ${opts.minSmokeAccuracy}`, smoke);
  }
  return smoke;
}

export async function pipelineDeploy(api: ApiClient, opts: DeployOptions, report: Reporter): Promise<DeployOutcome> {
  const model = await api.get<ModelView>(`/api/v1/models/${encodeURIComponent(opts.model)}`);
  const target = { id: model.id, label: label(model) };
  if (model.status !== 'Approved') throw new PipelineError(`${target.label} is ${model.status === 'Rejected' ? 'rejected' : 'not approved yet'} (${model.status}): an approver must approve it before it can be deployed.`);
  const before = await api.get<DeploymentView>(`/api/v1/deployments/${opts.deployment}`).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return null; // first deploy: the deployment is created by it
    throw error;
  });
  const outcome: DeployOutcome = { deployment: opts.deployment, model: { id: model.id, name: model.modelName, version: model.version }, previous: null, revision: null, instances: [], smoke: null, rolledBack: null };

  const alreadyServing = before?.currentModelVersion?.id === model.id;
  let switched: Switched | null = null;
  if (alreadyServing) {
    report.info(`${target.label} already serves ${opts.deployment}: checking it without deploying again.`);
    outcome.revision = before!.revision;
  } else {
    switched = await api.post<Switched>('/api/v1/deployments', { model: model.id, deployment: opts.deployment, ...(opts.comment ? { comment: opts.comment } : {}) });
    outcome.previous = switched.previous;
    outcome.revision = switched.revision;
    report.info(`Deployed ${target.label} to ${opts.deployment} (manifest revision ${switched.revision}${switched.previous ? `, was ${switched.previous}` : ', first deploy'}); waiting for the inference instances…`);
  }

  try {
    const instances = await waitForRollout(api, report, opts, target);
    outcome.instances = instances.map((i) => ({ instanceId: i.instanceId, state: i.state, version: i.model?.version ?? null }));
    report.info(`${opts.deployment}: all ${instances.length} live instance(s) serve ${target.label}.`);
    if (opts.smoke > 0) outcome.smoke = await smokeCheck(api, report, opts, target, instances);
    return outcome;
  } catch (error) {
    if (error instanceof PipelineError && error.outcome && typeof error.outcome === 'object' && 'sent' in error.outcome) outcome.smoke = error.outcome as SmokeReport;
    const reason = error instanceof Error ? error.message : String(error);
    if (!switched) throw new PipelineError(`${target.label} on ${opts.deployment} is unhealthy: ${reason}. Not rolled back: this run did not deploy it.`, outcome);
    if (!switched.previous) throw new PipelineError(`Deploy of ${target.label} to ${opts.deployment} failed: ${reason}. There is no earlier version to roll back to; ${opts.deployment} still points at ${target.label}.`, outcome);
    report.info(`Deploy of ${target.label} failed: ${reason}. Rolling ${opts.deployment} back to ${switched.previous}…`);
    let rolled: Switched;
    try {
      rolled = await api.post<Switched>(`/api/v1/deployments/${opts.deployment}/rollback`, { comment: `Automatic rollback by the delivery pipeline: ${reason}`.slice(0, 2000) });
    } catch (rollbackError) {
      throw new PipelineError(`Deploy of ${target.label} to ${opts.deployment} failed: ${reason}. The automatic rollback failed too (${(rollbackError as Error).message}); roll back by hand: npm run mlops -- deployments rollback ${opts.deployment}`, outcome);
    }
    outcome.rolledBack = { to: rolled.model, revision: rolled.revision };
    const back = await waitForRollout(api, report, opts, { id: rolled.modelVersionId, label: rolled.model }).then(
      (instances) => `serving it again on ${instances.length} instance(s)`,
      (waitError: Error) => `not confirmed by the instances yet: ${waitError.message}`,
    );
    throw new PipelineError(`Deploy of ${target.label} to ${opts.deployment} failed: ${reason}. Rolled back to ${rolled.model} (${back}).`, outcome);
  }
}
