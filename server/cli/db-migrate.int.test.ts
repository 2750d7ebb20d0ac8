import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import type { Db } from '@/server/db/client';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
let db: Db;
let env: NodeJS.ProcessEnv;

async function mlops(...args: string[]) {
  const { stdout } = await run('npm', ['run', '-s', 'mlops', '--', ...args], { cwd: root, env, timeout: 60_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  env = { ...process.env, DATABASE_URL: test.url, LOG_LEVEL: 'silent', MLOPS_ADMIN_EMAIL: 'Platform@Example.com', MLOPS_ADMIN_PASSWORD: '' };
});

/** What the web container's entrypoint runs before `next start` (docker/web-entrypoint.sh). */
describe('mlops db migrate --ensure-admin', () => {
  it('creates the first administrator on an empty database, once, with a generated password shown that one time', async () => {
    const plain = await mlops('db', 'migrate', '--json');
    expect(plain).not.toHaveProperty('createdAdmin');
    expect(await db.user.count()).toBe(0);

    const first = await mlops('db', 'migrate', '--ensure-admin', '--json');
    expect(first).toMatchObject({ applied: first.known, createdAdmin: { email: 'platform@example.com', password: expect.stringMatching(/^\S{12,}$/) } });
    expect(await db.user.findMany({ select: { email: true, role: true } })).toEqual([{ email: 'platform@example.com', role: 'admin' }]);
    expect(await db.auditEvent.count({ where: { action: 'user.create', actorLabel: 'first start' } })).toBe(1);

    // Every later start (another replica, a restart) finds the user and leaves it alone.
    expect(await mlops('db', 'migrate', '--ensure-admin', '--json')).toMatchObject({ createdAdmin: null });
    expect(await db.user.count()).toBe(1);
  });
});
