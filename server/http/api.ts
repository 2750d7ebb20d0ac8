import 'server-only';
import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { getSessionActor } from '@/server/auth/session';
import { clientIp } from '@/server/auth/client-ip';
import { AppError, ERROR_STATUS } from '@/server/errors';
import { logger } from '@/server/logger';
import { getRuntime } from '@/server/runtime';
import { authenticateApiKey } from '@/server/services/api-keys/authenticate-api-key';
import type { ServiceContext } from '@/server/services/context';

export type ErrorBody = { error: { code: string; message: string; fields?: { field: string; message: string }[]; requestId: string } };

export function errorResponse(error: unknown, requestId: string): NextResponse<ErrorBody> {
  if (error instanceof AppError) {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    if (error.details?.retryAfterSeconds) headers['retry-after'] = String(error.details.retryAfterSeconds);
    if (error.code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer realm="pricesense"';
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details?.fields ? { fields: error.details.fields } : {}), requestId } },
      { status: error.status, headers },
    );
  }
  logger.error({ err: error, requestId }, 'unhandled error in API route');
  return NextResponse.json(
    { error: { code: 'INTERNAL', message: `Internal error. Quote request id ${requestId} when reporting it.`, requestId } },
    { status: ERROR_STATUS.INTERNAL, headers: { 'x-request-id': requestId } },
  );
}

/** API key (Authorization: Bearer …) or, for the web app's own calls, the session cookie. */
async function authenticate(req: NextRequest): Promise<ServiceContext['actor']> {
  const header = req.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Malformed Authorization header: expected "Bearer <api key>".');
    const { db } = await getRuntime();
    return authenticateApiKey(db, match[1]);
  }
  const actor = await getSessionActor();
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Missing API key: send "Authorization: Bearer <api key>".');
  return actor;
}

type Handler<P> = (req: NextRequest, ctx: ServiceContext & { params: P }) => Promise<unknown>;

/**
 * A JSON route: authenticates, builds the service context, maps errors to their
 * status in one place, tags every response with a request id. The handler returns
 * a plain value (sent as JSON) or a Response.
 */
export function apiRoute<P = Record<string, string>>(handler: Handler<P>) {
  return async (req: NextRequest, route: { params: Promise<P> }) => {
    const requestId = req.headers.get('x-request-id') ?? randomUUID();
    try {
      const actor = await authenticate(req);
      const runtime = await getRuntime();
      const ctx = { actor, db: runtime.db, adapters: runtime.adapters, requestId, ip: clientIp(req.headers), params: await route.params };
      const result = await handler(req, ctx);
      if (result instanceof Response) {
        result.headers.set('x-request-id', requestId);
        return result;
      }
      return NextResponse.json(result, { headers: { 'x-request-id': requestId } });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

export { readJson } from './json-body';
