import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LABELS } from '../../ml/core/labels';
import type { BasketPrediction } from '../../ml/model';
import { feedbackSchema, fieldProblems, parsePredictBody, predictSchemas, validationMessage } from './api-schemas';
import { isAuthFailure, takeToken, type ApiKey, type KeyRing } from './auth';
import { sendError } from './errors';
import type { Metrics } from './metrics';
import type { ModelHolder } from './model-holder';
import type { RecentRequests } from './recent-requests';
import { basketFeatures, isoAt, roundedProbabilities, type TelemetryBuffer } from './telemetry';

/**
 * POST /v1/predict and POST /v1/feedback. This is the hot path: synchronous
 * handlers (no promise per request), keys checked against a precomputed map,
 * telemetry pushed to an in-memory buffer, nothing logged per request.
 */
export type PredictDeps = {
  holder: ModelHolder;
  keys: KeyRing;
  metrics: Metrics;
  telemetry: TelemetryBuffer;
  recent: RecentRequests;
  deployment: string;
  maxBatch: number;
  clock: () => number;
};

const JSON_TYPE = 'application/json; charset=utf-8';
const quoted = new Map<string, string>();
/** A label or class name as a JSON string, escaped once. */
const q = (s: string) => quoted.get(s) ?? (quoted.set(s, JSON.stringify(s)), quoted.get(s)!);

/**
 * The 200 answer of /v1/predict written directly: its shape is fixed, the request
 * id is a UUID and the rest are labels and numbers, so this is what JSON.stringify
 * would write, ~5× cheaper. null when a probability is not finite (JSON.stringify
 * would write null there: left to it).
 */
export function answerJson(requestId: string, refJson: string, predictions: readonly BasketPrediction[], single: boolean): string | null {
  let items = '';
  for (let i = 0; i < predictions.length; i++) {
    const p = predictions[i]!;
    let probabilities = '';
    for (const label in p.probabilities) {
      const v = p.probabilities[label as keyof typeof p.probabilities];
      if (!Number.isFinite(v)) return null;
      probabilities += `${probabilities ? ',' : ''}${q(label)}:${v}`;
    }
    items += `${i ? ',' : ''}{"label":${q(p.label)},"probabilities":{${probabilities}}}`;
  }
  return single ? `{"requestId":"${requestId}","model":${refJson},"prediction":${items}}` : `{"requestId":"${requestId}","model":${refJson},"predictions":[${items}]}`;
}

export function registerPredictRoutes(app: FastifyInstance, deps: PredictDeps) {
  const { holder, keys, metrics, telemetry, recent, clock } = deps;
  const schemas = predictSchemas(deps.maxBatch);
  const notDeployed = `No model is deployed to "${deps.deployment}": approve a model and deploy it from the control plane.`;
  let feedbackFor: { labels: readonly string[]; schema: ReturnType<typeof feedbackSchema> } = { labels: LABELS, schema: feedbackSchema(LABELS) };

  /** Authentication and rate limit, shared by both routes: the key, or null when an error was sent. */
  function authorize(request: FastifyRequest, reply: FastifyReply, now: number): ApiKey | null {
    if (!holder.keysKnown) {
      sendError(reply, metrics, 'NOT_READY', `No deployment manifest for "${deps.deployment}" has been read yet: approve a model and deploy it from the control plane.`);
      return null;
    }
    const key = keys.authenticate(request.headers.authorization, now);
    if (isAuthFailure(key)) {
      reply.header('www-authenticate', 'Bearer');
      sendError(reply, metrics, 'UNAUTHENTICATED', key.message);
      return null;
    }
    const wait = takeToken(key, now);
    if (wait) {
      reply.header('retry-after', String(wait));
      sendError(reply, metrics, 'RATE_LIMITED', `Rate limit exceeded: this API key may make ${key.ratePerSecond} requests per second to each instance; retry after ${wait} s`);
      return null;
    }
    return key;
  }

  app.post('/v1/predict', (request, reply) => {
    const now = clock();
    const key = authorize(request, reply, now);
    if (!key) return reply;
    // Read once: a swap during this request does not change the model it uses.
    const serving = holder.serving;
    if (!serving) return sendError(reply, metrics, 'NOT_READY', notDeployed);
    const body = parsePredictBody(request.body, schemas);
    if ('fields' in body) return sendError(reply, metrics, 'VALIDATION', validationMessage(body.fields), body.fields);

    const predictions = serving.model.predictBaskets(body.baskets);
    const requestId = request.id;
    const at = isoAt(now);
    const latencyMs = Math.round(reply.elapsedTime * 1000) / 1000;
    for (let i = 0; i < predictions.length; i++) {
      const p = predictions[i]!;
      metrics.countPrediction(p.label);
      telemetry.push({
        type: 'prediction', requestId, item: i, at, modelVersionId: serving.ref.versionId, keyId: key.id,
        label: p.label, probabilities: roundedProbabilities(p.probabilities), latencyMs, features: basketFeatures(body.baskets[i]!),
      });
    }
    recent.add(requestId, predictions.length);
    const text = answerJson(requestId, serving.refJson, predictions, body.single);
    if (text !== null) return reply.type(JSON_TYPE).send(text);
    return reply.send(body.single ? { requestId, model: serving.ref, prediction: predictions[0] } : { requestId, model: serving.ref, predictions });
  });

  app.post('/v1/feedback', (request, reply) => {
    const now = clock();
    const key = authorize(request, reply, now);
    if (!key) return reply;
    // Labels come from the serving model; without one, the standard classes.
    const labels = holder.serving?.labels ?? LABELS;
    if (feedbackFor.labels !== labels) feedbackFor = { labels, schema: feedbackSchema(labels) };
    const parsed = feedbackFor.schema.safeParse(request.body);
    if (!parsed.success) {
      const fields = typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)
        ? fieldProblems(parsed.error.issues)
        : [{ field: '(body)', message: 'must be a JSON object with requestId, item and label' }];
      return sendError(reply, metrics, 'VALIDATION', validationMessage(fields), fields);
    }
    const { requestId, item, label } = parsed.data;
    telemetry.push({ type: 'feedback', requestId, item, at: isoAt(now), keyId: key.id, trueLabel: label });
    metrics.countFeedback(label);
    return reply.code(202).send({ recorded: true, requestId, item, knownHere: recent.has(requestId, item) });
  });
}
