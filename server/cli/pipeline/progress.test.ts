import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import type { ApiClient } from './api-client';
import { PipelineError, pollUntil, waitForControlPlane } from './progress';

const quiet = () => {
  const lines: string[] = [];
  return { lines, report: { info: (l: string) => void lines.push(l) } };
};

describe('pollUntil', () => {
  it('prints each new state once and returns the value that is done', async () => {
    const states = ['queued', 'running', 'running', 'succeeded'];
    const { lines, report } = quiet();
    const value = await pollUntil(report, { what: 'run #1', timeoutSeconds: 5, pollSeconds: 0.01, read: async () => states.shift()!, done: (s) => s === 'succeeded', describe: (s) => (lines.at(-1) === s ? null : s) });
    expect(value).toBe('succeeded');
    expect(lines).toEqual(['queued', 'running']);
  });

  it('gives up after the timeout, naming what it waited for and the last state it saw', async () => {
    const { report } = quiet();
    const error = await pollUntil(report, { what: 'production to serve v3', timeoutSeconds: 0.05, pollSeconds: 0.01, read: async () => 'waiting', done: () => false, describe: (s) => s }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as Error).message).toBe('Timed out after 0.05 s waiting for production to serve v3 (last seen: waiting).');
  });

  it('rides out a few transient API failures, but not a refusal', async () => {
    const { lines, report } = quiet();
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls <= 2) throw new ApiError('GET /api/v1/runs/x: 503 UNAVAILABLE down for a moment', 503, 'UNAVAILABLE');
      return 'done';
    };
    expect(await pollUntil(report, { what: 'x', timeoutSeconds: 5, pollSeconds: 0.01, read: flaky, done: (s) => s === 'done', describe: () => null })).toBe('done');
    expect(lines).toEqual([expect.stringMatching(/503 UNAVAILABLE .*; retrying/), expect.stringMatching(/retrying/)]);

    const refused = pollUntil(report, { what: 'x', timeoutSeconds: 5, pollSeconds: 0.01, read: async () => Promise.reject(new ApiError('GET /api/v1/runs/x: 403 FORBIDDEN no', 403, 'FORBIDDEN')), done: () => true, describe: () => null });
    await expect(refused).rejects.toThrow(/403 FORBIDDEN/);
    const down = pollUntil(report, { what: 'x', timeoutSeconds: 5, pollSeconds: 0.01, read: async () => Promise.reject(new ApiError('unreachable', 0, 'UNREACHABLE')), done: () => true, describe: () => null });
    await expect(down).rejects.toThrow(/unreachable/);
  });
});

describe('waitForControlPlane', () => {
  const client = (answers: (() => unknown)[]): ApiClient => ({
    baseUrl: 'https://mlops.example.com',
    get: async () => answers.shift()!() as never,
    post: async () => undefined as never,
  });

  it('waits out a control plane that is still rolling out, then says who the key acts as', async () => {
    const { lines, report } = quiet();
    const api = client([
      () => { throw new ApiError('GET /api/v1/whoami: could not reach the control plane at https://mlops.example.com (ECONNREFUSED)', 0, 'UNREACHABLE'); },
      () => { throw new ApiError('GET /api/v1/whoami: 502 HTTP_ERROR Bad Gateway', 502, 'HTTP_ERROR'); },
      () => ({ kind: 'api_key', user: { email: 'ci@example.com' }, key: { name: 'github-actions', scopes: ['read', 'write', 'predict'] } }),
    ]);
    await waitForControlPlane(api, report, 5, 1);
    expect(lines).toEqual([
      expect.stringMatching(/does not answer yet \(.*ECONNREFUSED\)/),
      expect.stringMatching(/502 HTTP_ERROR Bad Gateway/),
      'Control plane https://mlops.example.com: acting as ci@example.com (key "github-actions": read, write, predict).',
    ]);
  });

  it('fails at once on a refused key, and after the timeout on an API that never answers', async () => {
    const { report } = quiet();
    await expect(waitForControlPlane(client([() => { throw new ApiError('GET /api/v1/whoami: 401 UNAUTHENTICATED Invalid API key', 401, 'UNAUTHENTICATED'); }]), report, 5, 1)).rejects.toThrow(/401 UNAUTHENTICATED/);
    const down = client(Array.from({ length: 1000 }, () => () => { throw new ApiError('unreachable', 0, 'UNREACHABLE'); }));
    await expect(waitForControlPlane(down, report, 0.05, 5)).rejects.toThrow(/unreachable/);
  });
});
