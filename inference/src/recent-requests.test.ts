import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseUuid, RecentRequests } from './recent-requests';

/** A UUID whose first word (the hash table's home slot) is chosen, to force collisions. */
const uuidWithHome = (home: number, n: number) =>
  `${home.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('RecentRequests', () => {
  it('knows the ids it answered and how many baskets each had', () => {
    const recent = new RecentRequests(10);
    const id = randomUUID();
    recent.add(id, 3);
    expect(recent.has(id, 0)).toBe(true);
    expect(recent.has(id, 2)).toBe(true);
    expect(recent.has(id, 3)).toBe(false);
    expect(recent.has(id, -1)).toBe(false);
    expect(recent.has(randomUUID(), 0)).toBe(false);
  });

  it('matches ids exactly: another case, another shape or junk is not one of ours', () => {
    const recent = new RecentRequests(10);
    const id = randomUUID();
    recent.add(id, 1);
    expect(recent.has(id.toUpperCase(), 0)).toBe(false);
    expect(recent.has(id.replaceAll('-', ''), 0)).toBe(false);
    expect(recent.has(`${id} `, 0)).toBe(false);
    expect(recent.has('', 0)).toBe(false);
    expect(recent.has('x'.repeat(36), 0)).toBe(false);
    expect(recent.has(`${id.slice(0, 35)}é`, 0)).toBe(false);
    recent.add('not-a-uuid', 1); // cannot be ours: not kept, no error
    expect(recent.has('not-a-uuid', 0)).toBe(false);
  });

  it('forgets the oldest ids once full', () => {
    const recent = new RecentRequests(3);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    ids.forEach((id) => recent.add(id, 1));
    expect(ids.map((id) => recent.has(id, 0))).toEqual([false, false, true, true, true]);
  });

  it('keeps finding every id when many share a home slot and some of them are evicted (backward-shift deletion)', () => {
    const recent = new RecentRequests(4); // 8 slots
    const ids = Array.from({ length: 12 }, (_, n) => uuidWithHome(n % 3 === 0 ? 7 : 6, n)); // runs wrap around the table's end
    ids.forEach((id, n) => {
      recent.add(id, n + 1);
      const kept = ids.slice(Math.max(0, n - 3), n + 1);
      for (const k of ids.slice(0, n + 1)) expect(recent.has(k, 0), `after ${n + 1} adds: ${k}`).toBe(kept.includes(k));
      kept.forEach((k) => expect(recent.has(k, ids.indexOf(k))).toBe(true));
    });
  });

  it.each([
    { capacity: 4, adds: 5_000, homes: (r: number) => Math.floor(r * 8) }, // 8 slots, every home: runs wrap around the end all the time
    { capacity: 1000, adds: 50_000, homes: (r: number) => (2048 - 150 + Math.floor(r * 300)) % 2048 }, // 2,048 slots, long runs across the end
  ])('agrees with a plain Map model over $adds random adds and lookups (capacity $capacity)', ({ capacity, adds, homes }) => {
    const recent = new RecentRequests(capacity);
    const model = new Map<string, number>();
    const order: string[] = [];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    // Few distinct homes so probe runs are long; the rest of the id is unique.
    const ids = Array.from({ length: adds }, (_, n) => uuidWithHome(homes(rand()), n));
    ids.forEach((id, n) => {
      const baskets = 1 + Math.floor(rand() * 5);
      recent.add(id, baskets);
      order.push(id);
      model.set(id, baskets);
      if (order.length > capacity) model.delete(order.shift()!);
      if (capacity < 10 || n % 97 === 0) {
        for (let probe = 0; probe < 20; probe++) {
          const k = ids[Math.floor(rand() * (n + 1))]!;
          const item = Math.floor(rand() * 6);
          expect(recent.has(k, item)).toBe(model.has(k) && item < model.get(k)!);
        }
      }
    });
    for (const k of order) expect(recent.has(k, 0)).toBe(true);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new RecentRequests(0)).toThrow(/capacity/);
    expect(() => new RecentRequests(1.5)).toThrow(/capacity/);
  });
});

describe('parseUuid', () => {
  it('reads the 128 bits of a UUID as four words', () => {
    const out = new Uint32Array(4);
    expect(parseUuid('01234567-89ab-cdef-0123-456789abcdef', out)).toBe(true);
    expect(Array.from(out)).toEqual([0x01234567, 0x89abcdef, 0x01234567, 0x89abcdef]);
    expect(parseUuid('ffffffff-ffff-ffff-ffff-ffffffffffff', out)).toBe(true);
    expect(Array.from(out)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    expect(parseUuid('01234567-89ab-cdef-0123-456789abcdeg', out)).toBe(false);
    expect(parseUuid('0123456789ab-cdef-0123-456789abcdef-', out)).toBe(false);
  });
});
