import 'server-only';
import { z } from 'zod';
import { AppError } from '@/server/errors';
import { EnvError } from '@/server/env';

/** Render a list of records as an aligned text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString().replace('T', ' ').slice(0, 19) : v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

/** One line for the user, no stack trace; JSON on stdout when --json was asked for. */
export function reportError(error: unknown, json: boolean): number {
  let code = 'ERROR';
  let message: string;
  let fields: { field: string; message: string }[] | undefined;
  if (error instanceof AppError) {
    code = error.code;
    message = error.message;
    fields = error.details?.fields;
  } else if (error instanceof EnvError) {
    code = 'CONFIG';
    message = error.message;
  } else if (error instanceof z.ZodError) {
    code = 'VALIDATION';
    message = error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } else {
    message = error instanceof Error ? error.message : String(error);
    if (process.env.DEBUG) console.error(error);
  }
  if (json) printJson({ error: { code, message, ...(fields ? { fields } : {}) } });
  else process.stderr.write(`error: ${message}\n`);
  return code === 'VALIDATION' || code === 'CONFIG' ? 2 : 1;
}

/** The first administrator's generated password, shown once (first start, or a container's first migration). */
export function printAdminCredentials(email: string, password: string) {
  const lines = ['First start: an administrator account was created.', '', `  email:    ${email}`, `  password: ${password}`, '', 'This password is shown only once. Sign in and change it under Settings → Profile.', 'Lost it? npm run mlops -- users reset-password --email ' + email];
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  console.log(`\n┌${'─'.repeat(width)}┐`);
  for (const line of lines) console.log(`│  ${line.padEnd(width - 2)}│`);
  console.log(`└${'─'.repeat(width)}┘\n`);
}
