import { beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../storage';

/** The behaviour every store shares; storage.int.test.ts runs it against S3 (moto). */
export function describeStore(name: string, make: () => Promise<ObjectStore>) {
  describe(`ObjectStore: ${name}`, () => {
    let store: ObjectStore;
    beforeAll(async () => {
      store = await make();
    });

    it('reads back what it wrote, and null for what is not there', async () => {
      expect(await store.get('deployments/production/current.json')).toBeNull();
      await store.put('deployments/production/current.json', '{"revision":1}');
      expect((await store.get('deployments/production/current.json'))!.toString()).toBe('{"revision":1}');
      await store.put('deployments/production/current.json', Buffer.from('{"revision":2}'));
      expect((await store.get('deployments/production/current.json'))!.toString()).toBe('{"revision":2}');
    });

    it('polls cheaply: unchanged while the version tag matches, the new bytes when replaced', async () => {
      const key = 'deployments/staging/current.json';
      expect(await store.getIfChanged(key, null)).toBeNull();
      await store.put(key, 'one');
      const first = await store.getIfChanged(key, null);
      if (!first || first === 'unchanged') throw new Error('expected the object');
      expect(first.body.toString()).toBe('one');
      expect(await store.getIfChanged(key, first.etag)).toBe('unchanged');
      await store.put(key, 'two');
      const second = await store.getIfChanged(key, first.etag);
      expect(second !== 'unchanged' && second?.body.toString()).toBe('two');
    });

    it('refuses keys that could escape the storage root', async () => {
      for (const key of ['', '../etc/passwd', '/abs', 'a//b', 'a/./b', 'a\\b']) {
        await expect(store.put(key, 'x'), key).rejects.toThrow(/Invalid storage key/);
      }
    });
  });
}
