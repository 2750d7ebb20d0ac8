import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { snapshot } from '@/test/actors';
import type { Db } from '@/server/db/client';
import { authenticateApiKey } from '@/server/services/api-keys/authenticate-api-key';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
let db: Db;
let env: NodeJS.ProcessEnv;

/** The CLI exactly as scripts call it: `npm run -s mlops -- …`. */
async function mlops(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'mlops', '--', ...args], { cwd: root, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  env = { ...process.env, DATABASE_URL: test.url, LOG_LEVEL: 'silent' };
});

describe('the CLI', () => {
  it('prints help', async () => {
    const { code, stdout } = await mlops('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/users/);
    expect(stdout).toMatch(/keys/);
  });

  it('creates users and keys in the exact JSON form scripts depend on', async () => {
    const created = await mlops('users', 'create', '--email', 'Ops@Example.com', '--role', 'admin', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'ops@example.com', role: 'admin', password: expect.any(String) });

    const result = await mlops('keys', 'create', '--name', 'ci', '--scopes', 'read,write,predict', '--json');
    expect(result.code).toBe(0);
    const key = JSON.parse(result.stdout) as { id: string; secret: string; scopes: string[] };
    expect(key).toMatchObject({ id: expect.any(String), secret: expect.stringMatching(/^psk_/), scopes: ['read', 'write', 'predict'] });
    const actor = await authenticateApiKey(db, key.secret);
    expect(actor.email).toBe('ops@example.com');
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'api_key.create', entityId: key.id } });
    expect(audit.actorLabel).toMatch(/^cli \(/);
  });

  it('refuses bad input with a clear message, a non-zero exit and no change', async () => {
    const before = await snapshot(db);
    const badScope = await mlops('keys', 'create', '--name', 'x', '--scopes', 'read,root', '--json');
    expect(badScope.code).toBe(2);
    expect(JSON.parse(badScope.stdout).error.message).toMatch(/scopes.1: each scope must be one of read, write, predict/);
    const unknownUser = await mlops('keys', 'create', '--name', 'x', '--scopes', 'read', '--user', 'ghost@example.com');
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toMatch(/error: No user with email ghost@example.com/);
    const badRole = await mlops('users', 'create', '--email', 'x@example.com', '--role', 'root');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).not.toMatch(/at .*\.ts:\d+/);
    const missing = await mlops('keys', 'create', '--name', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--scopes <scopes>' not specified/);
    expect(await snapshot(db)).toEqual(before);
  });
});
