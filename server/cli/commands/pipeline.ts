import 'server-only';
import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '@/server/errors';
import { parseList, parseParams } from '../command';
import { printJson, reportError } from '../output';
import { ApiError, createApiClient, type ApiClient } from '../pipeline/api-client';
import { pipelineDeploy } from '../pipeline/deploy';
import { PipelineError, stderrReporter, waitForControlPlane } from '../pipeline/progress';
import { pipelineTrain } from '../pipeline/train';

/**
 * `mlops pipeline train|deploy`: the delivery pipeline's model steps (the GitHub
 * workflow runs them), talking to a running control plane over its REST API —
 * unlike the other commands they never open the database. The API key comes from
 * MLOPS_API_KEY (never a flag: flags end up in process lists and CI logs).
 */
function apiFrom(o: { api?: string }): ApiClient {
  const baseUrl = o.api ?? process.env.MLOPS_API_URL;
  if (!baseUrl) throw new AppError('VALIDATION', 'No control plane URL: pass --api <url> or set MLOPS_API_URL.');
  if (!/^https?:\/\//.test(baseUrl)) throw new AppError('VALIDATION', `--api must be an http(s) URL (got "${baseUrl}")`);
  const apiKey = process.env.MLOPS_API_KEY;
  if (!apiKey) throw new AppError('VALIDATION', 'MLOPS_API_KEY is not set: create a key with the read and write scopes (npm run mlops -- keys create --name ci --scopes read,write,predict) and export it.');
  return createApiClient({ baseUrl, apiKey });
}

function numberOption(name: string, value: string | undefined, opts: { min: number; integer?: boolean }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < opts.min || (opts.integer && !Number.isInteger(n))) throw new AppError('VALIDATION', `${name} must be ${opts.integer ? 'a whole number' : 'a number'} ≥ ${opts.min} (got "${value}")`);
  return n;
}

/** Step outputs for the next job of a GitHub Actions workflow (only when running there). */
function writeGithubOutputs(values: Record<string, string | number | null | undefined>) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const lines = Object.entries(values).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${v}\n`);
  fs.appendFileSync(file, lines.join(''));
}

/** Run a step; exit 0 when it did its job, 1 when it failed (with what it got done in --json), 2 on bad input. */
async function runStep<T>(json: boolean, step: () => Promise<T>, summarize: (outcome: T) => string, outputs: (outcome: T) => Record<string, string | number | null | undefined>): Promise<never> {
  let code = 0;
  try {
    const outcome = await step();
    writeGithubOutputs(outputs(outcome));
    if (json) printJson(outcome);
    else console.log(summarize(outcome));
  } catch (error) {
    if (error instanceof PipelineError) {
      if (error.outcome) writeGithubOutputs(outputs(error.outcome as T));
      if (json) printJson({ error: { code: 'PIPELINE_FAILED', message: error.message }, outcome: error.outcome ?? null });
      else process.stderr.write(`error: ${error.message}\n`);
      code = 1;
    } else if (error instanceof ApiError) {
      if (json) printJson({ error: { code: error.code, message: error.message } });
      else process.stderr.write(`error: ${error.message}\n`);
      code = error.status === 400 ? 2 : 1;
    } else {
      code = reportError(error, json);
    }
  }
  process.exit(code);
}

export function registerPipeline(program: Command) {
  const pipeline = program
    .command('pipeline')
    .description('delivery pipeline steps against a running control plane (REST API; MLOPS_API_URL, MLOPS_API_KEY)')
    .addHelpText('after', '\nExamples:\n  npm run -s mlops -- pipeline train --api https://mlops.example.com --dataset dunnhumby --algorithm gbdt --wait --register\n  npm run -s mlops -- pipeline deploy --model v7 --deployment production --smoke 20 --inference-url https://predict.example.com');

  pipeline
    .command('train')
    .description("launch a training run on a dataset's latest ready version; with --wait follow it and check the KPI gates; with --register register it for approval")
    .option('--api <url>', 'control plane base URL (default: MLOPS_API_URL)')
    .requiredOption('--dataset <ref>', 'dataset name (its latest ready version), name@<version>, or a version id')
    .option('--algorithm <name>', 'logistic_regression | gbdt | random_forest | decision_tree (default: the platform default)')
    .option('--param <key=value...>', 'a hyperparameter, repeatable')
    .option('--seed <n>', 'random seed')
    .option('--name <name>', 'run name')
    .option('--tag <tags>', 'comma-separated tags (the run is always tagged "pipeline")')
    .option('--backend <where>', 'local (the worker) or sagemaker (default: the platform default)')
    .option('--wait', 'wait for the run to end and check the KPI gates; exit 1 if it fails or fails a gate')
    .option('--register', 'register the run as a model version for approval (implies --wait); not when a gate fails')
    .option('--register-failing', 'with --register: register even when a gate fails (the step still exits 1)')
    .option('--comment <text>', 'registration comment (e.g. the commit)')
    .option('--timeout <seconds>', 'give up waiting after this long (exit 1)', '3600')
    .option('--poll <seconds>', 'how often to ask for progress', '5')
    .option('--json', 'print the outcome as JSON: { run, gates, model }')
    .action((o: { api?: string; dataset: string; algorithm?: string; param?: string[]; seed?: string; name?: string; tag?: string; backend?: string; wait?: boolean; register?: boolean; registerFailing?: boolean; comment?: string; timeout: string; poll: string; json?: boolean }) =>
      runStep(
        Boolean(o.json),
        async () => {
          if (o.backend && o.backend !== 'local' && o.backend !== 'sagemaker') throw new AppError('VALIDATION', `--backend must be local or sagemaker (got "${o.backend}")`);
          const api = apiFrom(o);
          await waitForControlPlane(api, stderrReporter);
          return pipelineTrain(api, {
            dataset: o.dataset, algorithm: o.algorithm, params: parseParams(o.param), seed: numberOption('--seed', o.seed, { min: 0, integer: true }), name: o.name,
            tags: o.tag ? parseList(o.tag) : [], backend: o.backend as 'local' | 'sagemaker' | undefined,
            wait: Boolean(o.wait || o.register), register: Boolean(o.register), registerFailing: Boolean(o.registerFailing), comment: o.comment,
            timeoutSeconds: numberOption('--timeout', o.timeout, { min: 1 })!, pollSeconds: numberOption('--poll', o.poll, { min: 0.1 })!,
          }, stderrReporter);
        },
        (r) => (r.model ? `${r.model.name} v${r.model.version} (${r.model.id}) registered from run #${r.run.number}: ${r.model.status}.` : `run #${r.run.number} ${r.run.status}${r.gates ? `; KPI gates ${r.gates.passed ? 'passed' : 'failed'}` : ''}.`),
        (r) => ({ run_id: r.run?.id, run_number: r.run?.number, gates_passed: r.gates ? String(r.gates.passed) : undefined, model_id: r.model?.id, model_version: r.model?.version }),
      ),
    );

  pipeline
    .command('deploy')
    .description('deploy an approved model version, wait until the inference instances serve it, send smoke predictions; roll back automatically on failure')
    .option('--api <url>', 'control plane base URL (default: MLOPS_API_URL)')
    .requiredOption('--model <ref>', 'model version: id, "v3" or "3"')
    .option('--deployment <name>', 'deployment name', 'production')
    .option('--smoke <n>', 'smoke predictions after the rollout, from the model\'s own dataset (0: none)', '20')
    .option('--smoke-seed <n>', 'which baskets the smoke check samples', '1')
    .option('--min-smoke-accuracy <fraction>', 'also fail when fewer of the smoke baskets are predicted correctly (0–1)')
    .option('--inference-url <url>', 'prediction API base URL as this machine reaches it (default: MLOPS_INFERENCE_URL, else the URL an instance reports); key: MLOPS_PREDICT_KEY, else MLOPS_API_KEY')
    .option('--comment <text>', 'deployment comment (e.g. the commit or the approval)')
    .option('--timeout <seconds>', 'how long the instances may take to serve it (then: rollback)', '600')
    .option('--poll <seconds>', 'how often to ask the deployment for its instances', '5')
    .option('--json', 'print the outcome as JSON: { deployment, model, previous, revision, instances, smoke, rolledBack }')
    .action((o: { api?: string; model: string; deployment: string; smoke: string; smokeSeed: string; minSmokeAccuracy?: string; inferenceUrl?: string; comment?: string; timeout: string; poll: string; json?: boolean }) =>
      runStep(
        Boolean(o.json),
        async () => {
          const api = apiFrom(o);
          const minSmokeAccuracy = numberOption('--min-smoke-accuracy', o.minSmokeAccuracy, { min: 0 });
          if (minSmokeAccuracy !== undefined && minSmokeAccuracy > 1) throw new AppError('VALIDATION', `--min-smoke-accuracy is a fraction between 0 and 1 (got "${o.minSmokeAccuracy}")`);
          await waitForControlPlane(api, stderrReporter);
          return pipelineDeploy(api, {
            model: o.model, deployment: o.deployment, smoke: numberOption('--smoke', o.smoke, { min: 0, integer: true })!, smokeSeed: numberOption('--smoke-seed', o.smokeSeed, { min: 0, integer: true }),
            minSmokeAccuracy, inferenceUrl: o.inferenceUrl ?? process.env.MLOPS_INFERENCE_URL, predictKey: process.env.MLOPS_PREDICT_KEY || process.env.MLOPS_API_KEY!,
            comment: o.comment, timeoutSeconds: numberOption('--timeout', o.timeout, { min: 1 })!, pollSeconds: numberOption('--poll', o.poll, { min: 0.1 })!,
          }, stderrReporter);
        },
        (r) => `${r.deployment} serves ${r.model.name} v${r.model.version} on ${r.instances.length} instance(s)${r.smoke ? `; smoke ${r.smoke.ok}/${r.smoke.sent} OK` : ''}.`,
        (r) => ({ deployment: r.deployment, model_id: r.model?.id, model_version: r.model?.version, revision: r.revision, rolled_back_to: r.rolledBack?.to }),
      ),
    );
}
