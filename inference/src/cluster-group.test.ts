import { describe, expect, it } from 'vitest';
import { KeyRing } from './auth';
import { WorkerGroup, type Member } from './cluster-group';
import { ModelHolder } from './model-holder';
import { createMemoryStore, type ObjectStore } from './storage';
import { apiKey, manifest, storeModel, trainModel, type Published } from './testing/fixtures';

/**
 * The primary's two-phase apply, with real ModelHolders as the workers (the
 * wiring between processes is cluster.test.ts's subject).
 */
type Worker = { holder: ModelHolder; keys: KeyRing; member: Member };

function worker(id: number, store: ObjectStore, opts: { failPrepare?: string } = {}): Worker {
  const keys = new KeyRing();
  const holder = new ModelHolder({ store, keys });
  return {
    holder, keys,
    member: {
      id,
      prepare: async (m) => (opts.failPrepare ? { ok: false, transient: false, message: opts.failPrepare } : holder.prepare(m)),
      commit: async () => holder.commit(),
      abort: async () => holder.abort(),
      view: () => {},
    },
  };
}

const key1 = apiKey('one');
const key2 = apiKey('two');
const log = { errors: [] as string[], error(_obj: object, msg: string) { this.errors.push(msg); } };

async function setUp(): Promise<{ store: ObjectStore; v1: Published; v2: Published }> {
  const store = createMemoryStore();
  return { store, v1: await storeModel(store, await trainModel('logistic_regression'), 1), v2: await storeModel(store, await trainModel('logistic_regression', 2), 2) };
}

const serving = (w: Worker) => w.holder.serving?.info.versionId ?? null;
const knows = (w: Worker, k: ReturnType<typeof apiKey>) => !('code' in w.keys.authenticate(k.header, Date.now()));

describe('applying a manifest to every worker', () => {
  it('swaps all workers, and reports the swap once', async () => {
    const { store, v1, v2 } = await setUp();
    const group = new WorkerGroup(log);
    const workers = [worker(1, store), worker(2, store)];
    for (const w of workers) await group.join(w.member);
    expect(await group.apply(manifest(1, v1, [key1.key]))).toMatchObject({ ok: true, swapped: true, serving: { info: { versionId: v1.versionId } } });
    expect(await group.apply(manifest(2, v2, [key1.key]))).toMatchObject({ ok: true, swapped: true });
    expect(workers.map(serving)).toEqual([v2.versionId, v2.versionId]);
    expect(await group.apply(manifest(3, v2, [key1.key]))).toMatchObject({ ok: true, swapped: false });
  });

  it('swaps no worker when one refuses, says how many refused, and still takes the new keys', async () => {
    const { store, v1, v2 } = await setUp();
    const group = new WorkerGroup(log);
    const ok = worker(1, store);
    const refusing = worker(2, store, { failPrepare: 'Refused model v2: out of memory' });
    await group.join(ok.member);
    await group.apply(manifest(1, v1, [key1.key]));
    await group.join(refusing.member);
    const outcome = await group.apply(manifest(2, v2, [key1.key, key2.key]));
    expect(outcome).toEqual({ ok: false, transient: false, message: 'Refused model v2: out of memory (1 of 2 worker processes failed; none swapped)' });
    expect(serving(ok)).toBe(v1.versionId);
    expect(knows(ok, key2)).toBe(true);
  });

  it('brings a joining worker to the model the others serve and the latest keys, even those of a refused manifest', async () => {
    const { store, v1, v2 } = await setUp();
    const group = new WorkerGroup(log);
    await group.join(worker(1, store).member);
    await group.apply(manifest(1, v1, [key1.key]));
    await group.apply(manifest(2, v2, [key2.key], { sha256: v1.sha256 })); // refused: the seal differs
    const late = worker(2, store);
    await group.join(late.member);
    expect(serving(late)).toBe(v1.versionId);
    expect([knows(late, key1), knows(late, key2)]).toEqual([false, true]);
  });

  it('with no worker running, fails in a way that is retried', async () => {
    expect(await new WorkerGroup(log).apply(manifest(1, null, []))).toMatchObject({ ok: false, transient: true });
  });
});
