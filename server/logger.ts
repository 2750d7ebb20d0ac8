import 'server-only';
import pino from 'pino';

/** Structured logs; secrets are redacted by path wherever they might appear. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: {
    paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization',
      'headers.authorization', 'headers.cookie', 'passwordHash', '*.passwordHash', 'DATABASE_URL'],
    censor: '[redacted]',
  },
  base: { service: process.env.MLOPS_PROCESS ?? 'web' },
});
