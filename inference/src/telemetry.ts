import { randomBytes } from 'node:crypto';
import type { BasketRequest } from '../../ml/data/basket-schema';
import { telemetryKey, type TelemetryRecord } from './contract';
import type { ObjectStore } from './storage';

/**
 * What this process saw — one record per predicted basket and per feedback —
 * buffered and written to storage as JSON lines every few seconds. The hot path
 * pushes an object; every SERIALISE_SLICE records become one chunk of JSON-lines
 * bytes (off the V8 heap). Kept as objects until the flush, a few seconds of
 * records outlived two young-generation collections, were promoted, and made
 * the old generation grow by tens of MB between flushes: mark-compact pauses of
 * 7–24 ms, several a minute under load, each stalling every request in flight.
 * Serialised within ~100 ms they die young.
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
  /** Records not yet serialised (fewer than SERIALISE_SLICE). */
  private fresh: TelemetryRecord[] = [];
  /** Serialised records: JSON lines, SERIALISE_SLICE records a chunk. */
  private chunks: Buffer[] = [];
  private chunkedRecords = 0;
  private seq = 0;
  /** Start time and randomness: unique per process, so file names never repeat across restarts or between a cluster's workers. */
  private readonly bootId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private sealTimer: NodeJS.Timeout | null = null;
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
    return this.fresh.length + this.chunkedRecords;
  }

  push(record: TelemetryRecord): void {
    if (this.pending >= this.capacity) {
      this.opts.onDropped?.(1);
      return;
    }
    this.fresh.push(record);
    if (this.fresh.length >= SERIALISE_SLICE) this.seal();
    // A trickle of records is serialised soon too, so none lingers long enough to be promoted.
    else if (!this.sealTimer) this.sealTimer = setTimeout(() => this.seal(), 100).unref();
    if (this.pending >= this.flushAt && !this.earlyFlush) {
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

  /** The fresh records as one chunk of JSON lines. */
  private seal(): void {
    if (this.sealTimer) clearTimeout(this.sealTimer);
    this.sealTimer = null;
    const records = this.fresh;
    if (!records.length) return;
    this.fresh = [];
    const lines = new Array<string>(records.length);
    for (let i = 0; i < records.length; i++) lines[i] = JSON.stringify(records[i]);
    this.chunks.push(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    this.chunkedRecords += records.length;
  }

  private async writeBatch(): Promise<void> {
    this.seal();
    if (!this.chunks.length) return;
    const chunks = this.chunks;
    const records = this.chunkedRecords;
    this.chunks = [];
    this.chunkedRecords = 0;
    const key = telemetryKey(this.opts.deployment, new Date(this.clock()), this.opts.instanceId, this.bootId, this.seq++);
    try {
      await this.opts.store.put(key, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), 'application/x-ndjson');
    } catch (error) {
      // Telemetry must never take the service down: count the loss and carry on.
      this.opts.onDropped?.(records);
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
