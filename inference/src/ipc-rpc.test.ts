import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Rpc, type Channel } from './ipc-rpc';

/** Two ends of an in-memory channel, delivering asynchronously like IPC (and through JSON, as IPC does). */
function pair(): [Channel & { closed: boolean }, Channel & { closed: boolean }] {
  const [a, b] = [new EventEmitter(), new EventEmitter()];
  const end = (self: EventEmitter, other: EventEmitter) => {
    const channel = {
      closed: false,
      send(message: unknown, callback?: (error: Error | null) => void) {
        if (channel.closed) throw new Error('channel closed');
        setImmediate(() => other.emit('message', JSON.parse(JSON.stringify(message))));
        callback?.(null);
      },
      on: (event: 'message', listener: (m: unknown) => void) => self.on(event, listener),
    };
    return channel;
  };
  return [end(a, b), end(b, a)];
}

describe('rpc over an IPC channel', () => {
  it('calls the other side in both directions, with results and errors', async () => {
    const [left, right] = pair();
    const l = new Rpc(left, { ping: (n) => `pong ${String(n)}` });
    const r = new Rpc(right, { add: (p) => (p as number[]).reduce((a, b) => a + b, 0), fail: () => Promise.reject(new Error('refused')) });
    expect(await l.call('add', [1, 2, 3])).toBe(6);
    expect(await r.call('ping', 7)).toBe('pong 7');
    await expect(l.call('fail')).rejects.toThrow('refused');
    await expect(l.call('nope')).rejects.toThrow('unknown method nope');
  });

  it('fails pending and later calls when closed, and calls nobody answers after the timeout', async () => {
    const [left, right] = pair();
    const l = new Rpc(left);
    new Rpc(right, { slow: () => new Promise(() => {}) });
    await expect(l.call('slow', null, 50)).rejects.toThrow('no answer to slow within 50 ms');
    const pending = l.call('slow');
    l.close(new Error('worker exited'));
    await expect(pending).rejects.toThrow('worker exited');
    await expect(l.call('slow')).rejects.toThrow('worker exited');
    left.closed = true;
    await expect(new Rpc(left).call('x')).rejects.toThrow('channel closed');
  });
});
