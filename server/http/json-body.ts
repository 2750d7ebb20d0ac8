import 'server-only';
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { AppError, validationError } from '@/server/errors';

const MAX_JSON_BYTES = 1_000_000;

/** Read and validate a JSON body: malformed JSON, wrong content type, oversize and unknown fields each get their own clear 4xx. */
export async function readJson<T extends z.ZodType>(req: NextRequest, schema: T): Promise<z.infer<T>> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with "Content-Type: application/json".');
  }
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `Body too large: at most ${MAX_JSON_BYTES} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `Body too large: at most ${MAX_JSON_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_JSON', `Malformed JSON body: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
