import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from './api-schemas';
import type { Metrics } from './metrics';

/** Every error the API answers, with its HTTP status: one table, stable codes. */
export const ERROR_STATUS = {
  VALIDATION: 400,
  BAD_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export function sendError(reply: FastifyReply, metrics: Metrics, code: ErrorCode, message: string, fields?: FieldProblem[]): FastifyReply {
  metrics.countError(code);
  return reply
    .code(ERROR_STATUS[code])
    .send({ error: fields ? { code, message, fields, requestId: reply.request.id } : { code, message, requestId: reply.request.id } });
}

/**
 * Errors raised before or outside our handlers (body parsing, limits) mapped to
 * the table; anything unexpected is logged with the request id and answered with
 * a generic 500 that quotes it.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, metrics: Metrics, bodyLimit: number): FastifyReply {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, metrics, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${bodyLimit} bytes: send fewer baskets per request`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, metrics, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}: send JSON with "content-type: application/json"`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, metrics, 'BAD_JSON', 'The request body is empty: send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, metrics, 'BAD_JSON', 'The request body is not valid JSON (is it truncated, or not JSON at all?)');
  }
  // The JSON parser's own errors (syntax, forbidden __proto__/constructor keys) carry status 400.
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON|prototype/i.test(error.message))) {
    return sendError(reply, metrics, 'BAD_JSON', `The request body is not valid JSON: ${error.message}`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, metrics, 'BAD_REQUEST', error.message);
  }
  request.log.error({ err: error, requestId: request.id }, 'unexpected error');
  return sendError(reply, metrics, 'INTERNAL', `Internal error. Quote request id ${request.id} when reporting it.`);
}
