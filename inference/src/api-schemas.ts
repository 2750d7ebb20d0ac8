import { z } from 'zod';
import { basketSchema, type BasketRequest } from '../../ml/data/basket-schema';
import { LABELS } from '../../ml/core/labels';
import { fastParseBasket } from './fast-basket';

/**
 * The prediction API's request and response shapes, in zod: requests are
 * validated with them and the OpenAPI document is generated from them, so the
 * documentation cannot drift from what the service accepts.
 */
export const MAX_FEEDBACK_ITEM = 10_000;

export function predictSchemas(maxBatch: number) {
  const single = z.strictObject({ basket: basketSchema }).meta({ title: 'SinglePredictRequest' });
  const batch = z
    .strictObject({ baskets: z.array(basketSchema).min(1, 'needs at least one basket').max(maxBatch, `at most ${maxBatch} baskets per request`) })
    .meta({ title: 'BatchPredictRequest' });
  return { single, batch, maxBatch };
}

export function feedbackSchema(labels: readonly string[]) {
  return z.strictObject({
    requestId: z.uuid('must be the requestId (a UUID) of an earlier prediction'),
    item: z.number().int('must be a whole number').min(0, 'must be ≥ 0').max(MAX_FEEDBACK_ITEM, `must be at most ${MAX_FEEDBACK_ITEM}`).default(0)
      .describe('Index of the basket within a batch request (0 for a single basket)'),
    label: z.enum(labels as [string, ...string[]], { error: `must be one of ${labels.join(', ')}` }).describe('The true label, once known'),
  });
}

export const modelRefSchema = z.object({ versionId: z.string(), name: z.string(), version: z.number().int() }).meta({ title: 'ModelRef' });
export const predictionSchema = z
  .object({ label: z.enum(LABELS), probabilities: z.record(z.enum(LABELS), z.number()) })
  .meta({ title: 'Prediction', description: 'LA: price sensitive, MM: mid market, UM: up market' });
export const singleResponseSchema = z.object({ requestId: z.uuid(), model: modelRefSchema, prediction: predictionSchema }).meta({ title: 'SinglePredictResponse' });
export const batchResponseSchema = z.object({ requestId: z.uuid(), model: modelRefSchema, predictions: z.array(predictionSchema) }).meta({ title: 'BatchPredictResponse' });
export const feedbackResponseSchema = z
  .object({
    recorded: z.literal(true),
    requestId: z.uuid(),
    item: z.number().int(),
    knownHere: z.boolean().describe('Whether the process that took this feedback made that prediction (another worker process or replica may have; the record is kept either way)'),
  })
  .meta({ title: 'FeedbackResponse' });
export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(['VALIDATION', 'BAD_JSON', 'BAD_REQUEST', 'UNAUTHENTICATED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'NOT_READY', 'INTERNAL']),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ title: 'Error' });

export type FieldProblem = { field: string; message: string };

const MAX_FIELDS = 50;
const MESSAGE_FIELDS = 5;

/** zod issues as field problems: dotted paths, unknown fields named one by one. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    if (out.length >= MAX_FIELDS) break;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: [...issue.path, shortKey(key)].join('.'), message: 'is not a known field' });
    } else {
      out.push({ field: issue.path.join('.') || '(body)', message: cleanMessage(issue.message) });
    }
  }
  return out.slice(0, MAX_FIELDS);
}

/** An unknown field's name is echoed back, so a megabyte-long one is cut. */
function shortKey(key: string): string {
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

function cleanMessage(message: string): string {
  const required = /^Invalid input: expected (\w+), received undefined$/.exec(message);
  if (required) return `is required (${required[1]})`;
  return message.replace(/^Invalid input: /, '');
}

export function validationMessage(fields: FieldProblem[]): string {
  const shown = fields.slice(0, MESSAGE_FIELDS).map((f) => `${f.field}: ${f.message}`).join('; ');
  return `Invalid input — ${shown}${fields.length > MESSAGE_FIELDS ? ` (and ${fields.length - MESSAGE_FIELDS} more)` : ''}`;
}

export type PredictBody = { baskets: BasketRequest[]; single: boolean } | { fields: FieldProblem[] };

function onlyKey(body: Record<string, unknown>, key: string): boolean {
  for (const k in body) if (k !== key) return false;
  return true;
}

function fastParseBatch(value: unknown, maxBatch: number): BasketRequest[] | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > maxBatch) return null;
  const out: BasketRequest[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const basket = fastParseBasket(value[i]);
    if (!basket) return null;
    out[i] = basket;
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One basket or a batch. Which one is decided by the key present, so the errors
 * speak about the shape the caller meant instead of a union's mixed complaints.
 * Valid bodies take the fast path; zod decides everything else and names the problems.
 */
export function parsePredictBody(body: unknown, schemas: ReturnType<typeof predictSchemas>): PredictBody {
  if (!isPlainObject(body)) return { fields: [{ field: '(body)', message: 'must be a JSON object with "basket" (one basket) or "baskets" (a list)' }] };
  const hasOne = body.basket !== undefined;
  const hasMany = body.baskets !== undefined;
  if (hasOne && hasMany) return { fields: [{ field: 'baskets', message: 'send either "basket" (one basket) or "baskets" (a list), not both' }] };
  if (!hasOne && !hasMany) {
    const unknown = Object.keys(body).slice(0, MAX_FIELDS - 1).map((key) => ({ field: shortKey(key), message: 'is not a known field' }));
    return { fields: [{ field: 'basket', message: 'is required: send "basket" (one basket) or "baskets" (a list)' }, ...unknown] };
  }
  if (hasOne) {
    const fast = onlyKey(body, 'basket') ? fastParseBasket(body.basket) : null;
    if (fast) return { baskets: [fast], single: true };
    const parsed = schemas.single.safeParse(body);
    return parsed.success ? { baskets: [parsed.data.basket], single: true } : { fields: fieldProblems(parsed.error.issues) };
  }
  const fast = onlyKey(body, 'baskets') ? fastParseBatch(body.baskets, schemas.maxBatch) : null;
  if (fast) return { baskets: fast, single: false };
  const parsed = schemas.batch.safeParse(body);
  return parsed.success ? { baskets: parsed.data.baskets, single: false } : { fields: fieldProblems(parsed.error.issues) };
}
