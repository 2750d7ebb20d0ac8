import { describe, expect, it } from 'vitest';
import { telemetryRecordSchema, type TelemetryRecord } from './contract';
import { createMemoryStore, type ObjectStore } from './storage';
import { basketFeatures, roundedProbabilities, TelemetryBuffer } from './telemetry';

const at = Date.parse('2026-03-01T13:45:00Z');
const feedback = (i: number): TelemetryRecord => ({ type: 'feedback', requestId: `r${i}`, item: 0, at: new Date(at).toISOString(), keyId: 'k', trueLabel: 'LA' });

describe('telemetry buffer', () => {
  it('writes one JSON-lines object per flush, numbered, under the UTC hour', async () => {
    const store = createMemoryStore();
    const buffer = new TelemetryBuffer({ store, deployment: 'production', instanceId: 'i-1', flushMs: 60_000, clock: () => at });
    for (let i = 0; i < 1200; i++) buffer.push(feedback(i));
    await buffer.flush();
    buffer.push(feedback(9999));
    await buffer.stop();
    const keys = [...store.objects.keys()];
    expect(keys).toEqual([expect.stringMatching(/^telemetry\/production\/2026-03-01\/13\/i-1-[0-9a-z]+-00000000\.jsonl$/), expect.stringMatching(/-00000001\.jsonl$/)]);
    const lines = store.objects.get(keys[0]!)!.toString().trimEnd().split('\n');
    expect(lines.map((l) => telemetryRecordSchema.parse(JSON.parse(l)).requestId)).toEqual(Array.from({ length: 1200 }, (_, i) => `r${i}`));
    await buffer.flush();
    expect(store.objects.size).toBe(2); // nothing new, nothing written
  });

  it("a restart under the same instance id never overwrites the earlier process's files", async () => {
    const store = createMemoryStore();
    for (const run of [0, 1]) {
      const buffer = new TelemetryBuffer({ store, deployment: 'production', instanceId: 'fixed', flushMs: 60_000, clock: () => at });
      buffer.push(feedback(run));
      await buffer.stop();
    }
    expect(store.objects.size).toBe(2);
  });

  it('drops and counts what does not fit, or what storage refused', async () => {
    let dropped = 0;
    const failing: ObjectStore = { ...createMemoryStore(), put: async () => { throw new Error('disk full'); } };
    const errors: unknown[] = [];
    const buffer = new TelemetryBuffer({ store: failing, deployment: 'production', instanceId: 'i-2', flushMs: 60_000, capacity: 10, onDropped: (n) => (dropped += n), onError: (e) => errors.push(e) });
    for (let i = 0; i < 15; i++) buffer.push(feedback(i));
    expect([buffer.pending, dropped]).toEqual([10, 5]);
    await buffer.flush();
    expect([buffer.pending, dropped, errors.length]).toEqual([0, 15, 1]);
  });

  it('flushes early when records pile up faster than the timer', async () => {
    const store = createMemoryStore();
    const buffer = new TelemetryBuffer({ store, deployment: 'production', instanceId: 'i-3', flushMs: 60_000, capacity: 100, flushAtRecords: 10, clock: () => at });
    for (let i = 0; i < 9; i++) buffer.push(feedback(i));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.objects.size).toBe(0);
    for (let i = 9; i < 12; i++) buffer.push(feedback(i));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(buffer.pending).toBe(0);
    const written = [...store.objects.values()].flatMap((b) => b.toString().trimEnd().split('\n'));
    expect(written.map((l) => JSON.parse(l).requestId)).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`));
    await buffer.stop();
  });

  it('summarises a basket compactly for drift monitoring', () => {
    expect(roundedProbabilities({ LA: 0.123456789, MM: 0.876543211, UM: 1e-12 })).toEqual({ LA: 0.123457, MM: 0.876543, UM: 0 });
    expect(basketFeatures({ storeFormat: 'LS', hour: 9, lines: [{ prod: 'a', quantity: 2, spend: 1.105 }, { prod: 'b', quantity: 1, spend: 2.2 }] })).toEqual({
      lines: 2, spend: 3.31, quantity: 3, storeFormat: 'LS', storeRegion: null, basketSize: null, basketType: null, mission: null, seg1: null, hour: 9, weekday: null,
    });
  });
});
