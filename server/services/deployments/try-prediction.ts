import 'server-only';
import { z } from 'zod';
import { AppError, notFound, parseInput } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import { readInstances } from './read-deployments';
import { sampleBaskets } from './sample-baskets';
import { deploymentName } from './schemas';

/** Where a deployment's predictions can be sent: a live instance's own URL, else the configured local service. */
export async function predictionUrl(ctx: Pick<ServiceContext, 'adapters' | 'now'>, name: string): Promise<string> {
  const live = (await readInstances(ctx, name)).find((i) => !i.stale && i.state !== 'waiting');
  const url = live?.url ?? ctx.adapters.inferenceUrl;
  if (!url) throw new AppError('UNAVAILABLE', `No inference instance of ${name} has reported in; is the inference service running?`);
  return url.replace(/\/$/, '');
}

/** A basket from the deployed model's own dataset, to send through the "try it" panel. */
export async function sampleTryBasket(ctx: ServiceContext, name: string, seed = Math.floor(Math.random() * 1e9)) {
  assertCan(ctx, 'read');
  const dep = await ctx.db.deployment.findUnique({
    where: { name: parseInput(deploymentName, name) },
    select: { currentModelVersion: { select: { datasetVersion: { select: { id: true, datasetId: true, version: true, dataset: { select: { name: true } } } } } } },
  });
  const version = dep?.currentModelVersion?.datasetVersion;
  if (!version) throw notFound(`A model deployed to "${name}"`);
  const [sample] = await sampleBaskets(ctx, version, { count: 1, seed });
  if (!sample) throw new AppError('CONFLICT', `${version.dataset.name} v${version.version} has no labelled baskets to try.`);
  return { ...sample, dataset: `${version.dataset.name} v${version.version}` };
}

const tryInput = z.object({ basket: z.unknown() });

/**
 * Send one basket to the deployment's prediction API with the control plane's own
 * key and return the service's answer unchanged (4xx included: the panel shows
 * validation messages as a caller would see them).
 */
export async function tryPrediction(ctx: ServiceContext, name: string, input: unknown) {
  assertCan(ctx, 'read');
  const deployment = parseInput(deploymentName, name);
  const { basket } = parseInput(tryInput, input);
  if (!ctx.adapters.predictKey) throw new AppError('UNAVAILABLE', 'The control plane has no prediction key (AUTH_SECRET is not set).');
  const url = await predictionUrl(ctx, deployment);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${url}/v1/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.adapters.predictKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ basket }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new AppError('UNAVAILABLE', `The inference service at ${url} did not answer: ${(error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: show the text as it came.
  }
  return { url: `${url}/v1/predict`, status: response.status, roundTripMs: performance.now() - started, body };
}
