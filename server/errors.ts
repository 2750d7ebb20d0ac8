import 'server-only';
import { z } from 'zod';

/**
 * One error type for every expected failure, with a code mapped to an HTTP status
 * in one table. Anything that is not an AppError is a bug: logged with a request id
 * and answered with a generic 500.
 */
export const ERROR_STATUS = {
  VALIDATION: 400,
  BAD_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** A service we depend on (CloudWatch…) failed or could not be reached. */
  UPSTREAM: 502,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldIssue = { field: string; message: string };

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: { fields?: FieldIssue[]; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status() {
    return ERROR_STATUS[this.code];
  }
}

export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new AppError('CONFLICT', message);

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    let field = issue.path.map(String).join('.') || '(body)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      field = [...issue.path.map(String), ...issue.keys].join('.') || issue.keys.join(', ');
      message = `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    }
    return { field, message };
  });
}

export function validationError(error: z.ZodError): AppError {
  const fields = fieldIssues(error);
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AppError('VALIDATION', `Invalid input — ${summary}`, { fields });
}

/** Parse with a zod schema, turning failures into a VALIDATION AppError that names each field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
