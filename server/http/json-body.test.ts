import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/server/errors';
import { readJson } from './json-body';

const schema = z.strictObject({ name: z.string().min(1), scopes: z.array(z.enum(['read', 'write'])) });
const post = (body: string, type = 'application/json') =>
  new NextRequest('http://localhost/api/v1/x', { method: 'POST', body, headers: { 'content-type': type } });

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a rejection');
}

describe('reading a JSON body', () => {
  it('parses a valid body', async () => {
    await expect(readJson(post('{"name":"ci","scopes":["read"]}'), schema)).resolves.toEqual({ name: 'ci', scopes: ['read'] });
  });

  it('answers malformed JSON with BAD_JSON and the parser’s reason', async () => {
    const error = await errorOf(readJson(post('{"name": "ci",'), schema));
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('BAD_JSON');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Malformed JSON body: /);
  });

  it('names unknown and wrongly typed fields', async () => {
    const error = await errorOf(readJson(post('{"name":"","scopes":["root"],"admin":true}'), schema));
    expect(error.code).toBe('VALIDATION');
    expect(error.details?.fields).toEqual(
      expect.arrayContaining([
        { field: 'admin', message: 'unknown field: admin' },
        expect.objectContaining({ field: 'name' }),
        expect.objectContaining({ field: 'scopes.0' }),
      ]),
    );
  });

  it('refuses other content types and oversized bodies', async () => {
    expect((await errorOf(readJson(post('name=ci', 'application/x-www-form-urlencoded'), schema))).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = JSON.stringify({ name: 'x'.repeat(1_100_000), scopes: [] });
    const error = await errorOf(readJson(post(huge), schema));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.status).toBe(413);
  });
});
