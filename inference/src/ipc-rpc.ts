/**
 * Request/response over a Node IPC channel (a cluster worker's `process`, or the
 * primary's `Worker`): either side calls the other's named handlers and awaits
 * the result. Messages are plain JSON: { rpc: 'call', id, method, payload },
 * then { rpc: 'result', id, value } or { rpc: 'error', id, message }.
 */
export type Channel = {
  send(message: unknown, callback?: (error: Error | null) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
};

export type Handlers = Record<string, (payload: unknown) => unknown>;

type Message = { rpc: 'call'; id: number; method: string; payload: unknown } | { rpc: 'result'; id: number; value: unknown } | { rpc: 'error'; id: number; message: string };

const isMessage = (m: unknown): m is Message => typeof m === 'object' && m !== null && typeof (m as { rpc?: unknown }).rpc === 'string' && typeof (m as { id?: unknown }).id === 'number';

export class Rpc {
  private nextId = 1;
  private closed: Error | null = null;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();

  constructor(private readonly channel: Channel, private readonly handlers: Handlers = {}) {
    channel.on('message', (message) => void this.receive(message));
  }

  call<T>(method: string, payload?: unknown, timeoutMs = 10_000): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.send({ rpc: 'call', id, method, payload }, (error) => this.fail(id, error));
    });
  }

  /** The other side is gone: every pending call fails with `reason`, and so does every later one. */
  close(reason: Error): void {
    this.closed ??= reason;
    for (const id of [...this.pending.keys()]) this.fail(id, reason);
  }

  private take(id: number) {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      clearTimeout(p.timer);
    }
    return p;
  }

  private fail(id: number, error: Error) {
    this.take(id)?.reject(error);
  }

  private send(message: Message, callback: (error: Error) => void) {
    try {
      this.channel.send(message, (error) => error && callback(error));
    } catch (error) {
      // The channel closed under us (ERR_IPC_CHANNEL_CLOSED).
      callback(error as Error);
    }
  }

  private async receive(message: unknown) {
    if (!isMessage(message)) return;
    if (message.rpc === 'result') return this.take(message.id)?.resolve(message.value);
    if (message.rpc === 'error') return this.fail(message.id, new Error(message.message));
    const handler = this.handlers[message.method];
    try {
      if (!handler) throw new Error(`unknown method ${message.method}`);
      const value = await handler(message.payload);
      this.send({ rpc: 'result', id: message.id, value: value ?? null }, () => {});
    } catch (error) {
      this.send({ rpc: 'error', id: message.id, message: (error as Error).message }, () => {});
    }
  }
}
