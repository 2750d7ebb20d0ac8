import 'server-only';
import { allGatesPass, evaluateGates, type GateResult, type GateThresholds } from '@/lib/kpi-gates';
import type { ApiClient } from './api-client';
import { PipelineError, pollUntil, type Reporter } from './progress';

/**
 * The pipeline's training step, through the control plane's REST API only: launch
 * a run on a dataset's latest ready version, wait for it, check the KPI gates in
 * force, and register the model for approval. Each refusal is a PipelineError
 * that says what to do next.
 */
export type TrainOptions = {
  dataset: string;
  algorithm?: string;
  params?: Record<string, string | number | boolean>;
  seed?: number;
  name?: string;
  tags?: string[];
  backend?: 'local' | 'sagemaker';
  wait: boolean;
  register: boolean;
  /** Register even when a gate fails (the approver then sees the failure and may override); the step still fails. */
  registerFailing?: boolean;
  comment?: string;
  timeoutSeconds: number;
  pollSeconds: number;
};

type RunView = {
  id: string; number: number; name: string; status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  stage: string | null; progress: number | null; etaSeconds: number | null; error: string | null; backend: string;
  dataset: { label: string }; metrics: Record<string, unknown> | null; accuracy: number | null; macroF1: number | null;
};
type Registered = { id: string; modelName: string; version: number; status: string; gatesPassed: boolean; gateResults: GateResult[] };

export type TrainOutcome = {
  run: { id: string; number: number; status: RunView['status']; dataset: string; accuracy: number | null; macroF1: number | null };
  gates: { passed: boolean; results: GateResult[] } | null;
  model: { id: string; name: string; version: number; status: string; gatesPassed: boolean } | null;
};

const pct = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—');

export function formatGates(results: GateResult[]): string[] {
  return results.map((g) => `  ${g.passed ? 'pass' : 'FAIL'}  ${g.label.padEnd(24)} ${g.value === null ? 'missing' : g.value.toFixed(3)} (≥ ${g.threshold})`);
}

export async function pipelineTrain(api: ApiClient, opts: TrainOptions, report: Reporter): Promise<TrainOutcome> {
  const launched = await api.post<{ id: string; number: number; name: string }>('/api/v1/runs', {
    dataset: opts.dataset,
    ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
    ...(opts.params && Object.keys(opts.params).length ? { params: opts.params } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.backend ? { backend: opts.backend } : {}),
    tags: [...new Set(['pipeline', ...(opts.tags ?? [])])],
  });
  let run = await api.get<RunView>(`/api/v1/runs/${launched.id}`);
  report.info(`Launched run #${run.number} "${run.name}" on ${run.dataset.label} (${run.backend}).`);
  const summary = (): TrainOutcome['run'] => ({ id: run.id, number: run.number, status: run.status, dataset: run.dataset.label, accuracy: run.accuracy, macroF1: run.macroF1 });
  if (!opts.wait) return { run: summary(), gates: null, model: null };

  let last = '';
  run = await pollUntil(report, {
    what: `run #${run.number}`,
    timeoutSeconds: opts.timeoutSeconds,
    pollSeconds: opts.pollSeconds,
    read: () => api.get<RunView>(`/api/v1/runs/${launched.id}`),
    done: (r) => r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled',
    describe: (r) => {
      const eta = r.etaSeconds ? `, about ${Math.ceil(r.etaSeconds)} s left` : '';
      const line = `run #${r.number}: ${r.status}${r.stage && r.stage !== r.status ? ` (${r.stage})` : ''}${r.status === 'running' && r.progress !== null ? ` ${Math.round(r.progress * 100)}%` : ''}${eta}`;
      const changed = line.replace(/, about .*$/, '') !== last;
      last = line.replace(/, about .*$/, '');
      return changed ? line : null;
    },
  });
  if (run.status !== 'succeeded') {
    throw new PipelineError(`Run #${run.number} ${run.status}${run.error ? `: ${run.error}` : ''}. Nothing was registered.`, summary());
  }
  report.info(`Run #${run.number} succeeded: accuracy ${pct(run.accuracy)}, macro F1 ${pct(run.macroF1)}.`);

  // The gates as the server will evaluate them at registration (same function, thresholds in force now).
  const { thresholds } = await api.get<{ thresholds: GateThresholds }>('/api/v1/settings/kpi-gates');
  let results = evaluateGates(run.metrics as Parameters<typeof evaluateGates>[0], thresholds);
  let passed = allGatesPass(results);
  report.info(`KPI gates ${passed ? 'passed' : 'FAILED'}:`);
  for (const line of formatGates(results)) report.info(line);
  const outcome: TrainOutcome = { run: summary(), gates: { passed, results }, model: null };
  const failedList = () => results.filter((g) => !g.passed).map((g) => g.label).join(', ');

  if (!opts.register) {
    if (!passed) throw new PipelineError(`Run #${run.number} fails the KPI gates (${failedList()}).`, outcome);
    return outcome;
  }
  if (!passed && !opts.registerFailing) {
    throw new PipelineError(`Run #${run.number} fails the KPI gates (${failedList()}); not registered. Pass --register-failing to put it before an approver anyway.`, outcome);
  }
  const model = await api.post<Registered>('/api/v1/models', { runId: run.id, ...(opts.comment ? { comment: opts.comment } : {}) });
  // The registry's verdict is the one kept with the version (thresholds may have changed in between).
  results = model.gateResults;
  passed = model.gatesPassed;
  outcome.gates = { passed, results };
  outcome.model = { id: model.id, name: model.modelName, version: model.version, status: model.status, gatesPassed: model.gatesPassed };
  report.info(`Registered run #${run.number} as ${model.modelName} v${model.version} (${model.status}): an approver decides next.`);
  if (!passed) throw new PipelineError(`${model.modelName} v${model.version} fails the KPI gates (${failedList()}); registered for the record, an approver must reject it or override.`, outcome);
  return outcome;
}
