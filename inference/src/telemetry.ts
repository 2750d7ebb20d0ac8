import { randomBytes } from 'node:crypto';
import type { BasketRequest } from '../../ml/data/basket-schema';
import { telemetryKey, type TelemetryRecord } from './contract';
import type { ObjectStore } from './storage';

/**
 * What this instance saw — one record per predicted basket and per feedback —
 * buffered in memory and written to storage as JSON lines every few seconds. The
 * hot path only pushes an object; serialisation and I/O happen at flush time, in
 * slices that yield to the event loop so a big batch does not stall requests.
 */
export const DEFAULT_TELEMETRY_CAPACITY = 200_000;
const SERIALISE_SLICE = 200;

export type TelemetryOptions = {
  store: ObjectStore;
  deployment: string;
  instanceId: string;
  flushMs: number;
  capacity?: number;
  /** Flush early once this many records wait (default: an eighth of the capacity), so bursts do not fill the buffer. */
  flushAtRecords?: number;
  clock?: () => number;
  /** Called with the number of records dropped because the buffer was full (or a flush failed). */
  onDropped?: (count: number) => void;
  onError?: (error: unknown) => void;
};

export class TelemetryBuffer {
  private records: TelemetryRecord[] = [];
  private seq = 0;
  /** Start time and randomness: unique per process, so file names never repeat across restarts. */
  private readonly bootId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private flushing: Promise<void> = Promise.resolve();
  private earlyFlush = false;
  private readonly capacity: number;
  private readonly flushAt: number;
  private readonly clock: () => number;

  constructor(private readonly opts: TelemetryOptions) {
    this.capacity = opts.capacity ?? DEFAULT_TELEMETRY_CAPACITY;
    this.flushAt = opts.flushAtRecords ?? Math.max(1, Math.floor(this.capacity / 8));
    this.clock = opts.clock ?? Date.now;
  }

  get pending(): number {
    return this.records.length;
  }

  push(record: TelemetryRecord): void {
    if (this.records.length >= this.capacity) {
      this.opts.onDropped?.(1);
      return;
    }
    this.records.push(record);
    if (this.records.length >= this.flushAt && !this.earlyFlush) {
      this.earlyFlush = true;
      void this.flush().finally(() => (this.earlyFlush = false));
    }
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.flush().finally(tick), this.opts.flushMs);
      this.timer.unref();
    };
    tick();
  }

  /** Writes what is buffered as one object; flushes never overlap, so sequence numbers stay in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatch());
    return this.flushing;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeBatch(): Promise<void> {
    if (!this.records.length) return;
    const batch = this.records;
    this.records = [];
    const key = telemetryKey(this.opts.deployment, new Date(this.clock()), this.opts.instanceId, this.bootId, this.seq++);
    try {
      // Each slice becomes bytes at once: one giant string join and encode would block for tens of ms.
      const parts: Buffer[] = [];
      for (let i = 0; i < batch.length; i += SERIALISE_SLICE) {
        if (i) await new Promise<void>((resolve) => setImmediate(resolve));
        const end = Math.min(batch.length, i + SERIALISE_SLICE);
        const lines = new Array<string>(end - i);
        for (let j = i; j < end; j++) lines[j - i] = JSON.stringify(batch[j]);
        parts.push(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
      }
      await this.opts.store.put(key, parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'application/x-ndjson');
    } catch (error) {
      // Telemetry must never take the service down: count the loss and carry on.
      this.opts.onDropped?.(batch.length);
      this.opts.onError?.(error);
    }
  }
}

let isoMs = Number.NaN;
let isoText = '';
/** The ISO timestamp of a millisecond, cached: thousands of requests a second share few milliseconds. */
export function isoAt(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * Probabilities rounded to 6 decimals for telemetry (responses keep full precision):
 * shortest-form printing of full doubles made JSON.stringify ~3x slower per record.
 */
export function roundedProbabilities(p: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in p) out[k] = Math.round(p[k]! * 1e6) / 1e6;
  return out;
}

/** A compact summary of a basket for drift monitoring: sizes, spend and context codes. */
export function basketFeatures(b: BasketRequest): Record<string, number | string | null> {
  let spend = 0;
  let quantity = 0;
  for (const line of b.lines) {
    spend += line.spend;
    quantity += line.quantity;
  }
  return {
    lines: b.lines.length,
    spend: Math.round(spend * 100) / 100,
    quantity,
    storeFormat: b.storeFormat ?? null,
    storeRegion: b.storeRegion ?? null,
    basketSize: b.basketSize ?? null,
    basketType: b.basketType ?? null,
    mission: b.mission ?? null,
    seg1: b.seg1 ?? null,
    hour: b.hour ?? null,
    weekday: b.weekday ?? null,
  };
}
