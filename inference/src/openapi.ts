import { z } from 'zod';
import { basketLineSchema, basketSchema } from '../../ml/data/basket-schema';
import { LABELS } from '../../ml/core/labels';
import {
  batchResponseSchema, errorSchema, feedbackResponseSchema, feedbackSchema, modelRefSchema, predictionSchema, predictSchemas, singleResponseSchema,
} from './api-schemas';

/**
 * The OpenAPI 3.1 document: component schemas generated from the same zod
 * schemas that validate requests, paths and examples written here.
 */
export type OpenApiOptions = { maxBatch: number; bodyLimitBytes: number; serviceVersion: string; deployment: string };

export const EXAMPLE_BASKET = {
  basketId: '994100100532898', week: 200626, hour: 15, weekday: 3, storeCode: 'STORE00001', storeFormat: 'LS', storeRegion: 'E02',
  basketSize: 'M', basketType: 'Top Up', mission: 'Fresh', seg1: 'CT',
  lines: [
    { prod: 'PRD0900001', p10: 'CL00072', p20: 'DEP00021', p30: 'G00007', p40: 'D00002', quantity: 1, spend: 1.03 },
    { prod: 'PRD0900005', p10: 'CL00144', p20: 'DEP00052', p30: 'G00016', p40: 'D00003', quantity: 3, spend: 2.4 },
  ],
};
const EXAMPLE_ID = '0b1f6f2e-4f0c-4f43-9a3e-2d6c1e8b7a10';
const EXAMPLE_MODEL = { versionId: 'cmv_8h2k4q', name: 'basket-price-sensitivity', version: 3 };
const EXAMPLE_PREDICTION = { label: 'MM', probabilities: { LA: 0.08, MM: 0.85, UM: 0.07 } };

const errorExample = (code: string, message: string, extra: object = {}) => ({ value: { error: { code, message, ...extra, requestId: EXAMPLE_ID } } });
const json = (schema: string, examples?: Record<string, { summary?: string; value: unknown }>) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schema}` }, ...(examples ? { examples } : {}) },
});

export function buildOpenApi(opts: OpenApiOptions) {
  const registry = z.registry<{ id: string }>();
  const { single, batch } = predictSchemas(opts.maxBatch);
  const schemas: [z.ZodType, string][] = [
    [basketLineSchema, 'BasketLine'], [basketSchema, 'Basket'], [single, 'SinglePredictRequest'], [batch, 'BatchPredictRequest'],
    [feedbackSchema(LABELS), 'FeedbackRequest'], [modelRefSchema, 'ModelRef'], [predictionSchema, 'Prediction'],
    [singleResponseSchema, 'SinglePredictResponse'], [batchResponseSchema, 'BatchPredictResponse'], [feedbackResponseSchema, 'FeedbackResponse'], [errorSchema, 'Error'],
  ];
  for (const [schema, id] of schemas) registry.add(schema, { id });
  // io 'input': fields with defaults (quantity, spend, item) are optional for callers.
  const generated = z.toJSONSchema(registry, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  const components = Object.fromEntries(Object.entries(generated.schemas).map(([id, s]) => {
    const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
    return [id, rest];
  }));

  const common = {
    '400': { description: 'Invalid input, malformed JSON', content: json('Error', {
      validation: errorExample('VALIDATION', 'Invalid input — baskets.3.lines.0.quantity: must be ≥ 0', { fields: [{ field: 'baskets.3.lines.0.quantity', message: 'must be ≥ 0' }] }),
      badJson: errorExample('BAD_JSON', 'The request body is not valid JSON (is it truncated, or not JSON at all?)'),
    }) },
    '401': { description: 'Missing, unknown, revoked or expired API key', content: json('Error', { unknown: errorExample('UNAUTHENTICATED', 'Unknown or revoked API key: use an active API key that has the `predict` scope for this deployment.') }) },
    '413': { description: `Body larger than ${opts.bodyLimitBytes} bytes`, content: json('Error') },
    '415': { description: 'Content type is not application/json', content: json('Error') },
    '429': {
      description: "Over the key's per-instance rate limit",
      headers: { 'retry-after': { description: 'Seconds to wait', schema: { type: 'integer' } } },
      content: json('Error', { limited: errorExample('RATE_LIMITED', 'Rate limit exceeded: this API key may make 50 requests per second to each instance; retry after 1 s') }),
    },
    '503': { description: 'No model deployed (yet)', content: json('Error', { notReady: errorExample('NOT_READY', `No model is deployed to "${opts.deployment}": approve a model and deploy it from the control plane.`) }) },
  };
  const requestIdHeader = { 'x-request-id': { description: 'The request id (also in the body); quote it in feedback and bug reports', schema: { type: 'string' } } };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Basket price-sensitivity prediction API',
      version: opts.serviceVersion,
      description:
        'Predicts whether a shopping basket is price sensitive (LA), mid market (MM) or up market (UM) from its products and context. ' +
        `Serves the model deployed to "${opts.deployment}". Authenticate with an API key that has the \`predict\` scope: \`Authorization: Bearer psk_…\`.`,
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths: {
      '/v1/predict': {
        post: {
          operationId: 'predict',
          summary: 'Predict the price sensitivity of one basket or a batch',
          description: `Send \`basket\` (one basket) or \`baskets\` (1–${opts.maxBatch}). Unknown fields are refused and named. Each answer has a requestId to quote in feedback.`,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/SinglePredictRequest' }, { $ref: '#/components/schemas/BatchPredictRequest' }] },
                examples: { single: { summary: 'One basket', value: { basket: EXAMPLE_BASKET } }, batch: { summary: 'A batch', value: { baskets: [EXAMPLE_BASKET, { lines: [{ prod: 'PRD0900010', quantity: 1, spend: 0.79 }] }] } } },
              },
            },
          },
          responses: {
            '200': {
              description: 'The prediction(s) and the model that made them',
              headers: requestIdHeader,
              content: {
                'application/json': {
                  schema: { oneOf: [{ $ref: '#/components/schemas/SinglePredictResponse' }, { $ref: '#/components/schemas/BatchPredictResponse' }] },
                  examples: {
                    single: { summary: 'One basket', value: { requestId: EXAMPLE_ID, model: EXAMPLE_MODEL, prediction: EXAMPLE_PREDICTION } },
                    batch: { summary: 'A batch', value: { requestId: EXAMPLE_ID, model: EXAMPLE_MODEL, predictions: [EXAMPLE_PREDICTION, { label: 'LA', probabilities: { LA: 0.71, MM: 0.25, UM: 0.04 } }] } },
                  },
                },
              },
            },
            ...common,
          },
        },
      },
      '/v1/feedback': {
        post: {
          operationId: 'feedback',
          summary: 'Report the true label of an earlier prediction',
          description: 'Recorded even when another replica made the prediction; the control plane joins feedback to predictions by requestId and item.',
          requestBody: { required: true, content: json('FeedbackRequest', { feedback: { value: { requestId: EXAMPLE_ID, item: 0, label: 'UM' } } }) },
          responses: {
            '202': { description: 'Recorded', headers: requestIdHeader, content: json('FeedbackResponse', { recorded: { value: { recorded: true, requestId: EXAMPLE_ID, item: 0, knownHere: true } } }) },
            ...common,
          },
        },
      },
      '/healthz': { get: { operationId: 'health', summary: 'Liveness: 200 while the process runs', security: [], responses: { '200': { description: 'Alive', content: { 'application/json': { example: { status: 'ok', service: 'inference', version: opts.serviceVersion } } } } } } },
      '/readyz': {
        get: {
          operationId: 'ready', summary: 'Readiness: 200 only while a verified model is loaded', security: [],
          responses: {
            '200': { description: 'Serving', content: { 'application/json': { example: { ready: true, model: { ...EXAMPLE_MODEL, sha256: '…' }, manifestRevision: 7, state: 'serving' } } } },
            '503': { description: 'Not serving', content: { 'application/json': { example: { ready: false, reason: 'No model is deployed yet.' } } } },
          },
        },
      },
      '/metrics': { get: { operationId: 'metrics', summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    },
    components: { schemas: components, securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key with the `predict` scope (psk_…), created in the control plane' } } },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
