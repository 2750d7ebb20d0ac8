import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Kernel, KernelArgs, Parallel, TypedArray } from '@/ml/core/parallel';

/**
 * The host side of ml/core/parallel.ts: threads − 1 worker threads that run
 * registered kernels over SharedArrayBuffer memory, plus the calling thread.
 * `run` blocks the caller (Atomics.wait) until every thread is done, so the ML
 * library's fit() stays synchronous. Workers are unref'd: an open pool never
 * keeps a process alive; close() ends them.
 */
export type ThreadPool = Parallel & { close(): Promise<void> };

const WAIT_LIMIT_MS = 10 * 60_000;

export function defaultThreads(): number {
  const configured = Number(process.env.MLOPS_ML_THREADS);
  if (Number.isInteger(configured) && configured >= 1) return configured;
  return Math.max(1, Math.min(8, os.availableParallelism()));
}

/** Starts the workers and resolves once each has loaded its kernels (a blocked caller could not let them start). */
export async function createThreadPool(threads = defaultThreads()): Promise<ThreadPool> {
  // [0] threads finished in the current run, [1] a worker failed.
  const control = new Int32Array(new SharedArrayBuffer(8));
  const workers: { worker: Worker; errors: MessagePort }[] = [];
  const entry = new URL('./ml-thread.mjs', import.meta.url);
  let broken: string | null = null;
  const ready: Promise<void>[] = [];
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(entry, { workerData: { thread: t, threads, control, errors: port2 }, transferList: [port2] });
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }),
    );
    worker.on('error', (error) => (broken = `ML worker thread ${t} stopped: ${error.message}`));
    worker.on('exit', () => (broken ??= `ML worker thread ${t} exited`));
    workers.push({ worker, errors: port1 });
  }
  try {
    await Promise.all(ready);
  } catch (error) {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
    throw new Error(`ML worker threads could not start: ${(error as Error).message}`);
  }
  for (const { worker, errors } of workers) {
    worker.unref();
    errors.unref();
  }
  let closed = false;
  return {
    threads,
    alloc: (make, bytes, length) => new make(new SharedArrayBuffer(Math.max(1, bytes * length)), 0, length),
    share<T extends TypedArray>(array: T): T {
      if (array.buffer instanceof SharedArrayBuffer) return array;
      const Ctor = array.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
      const copy = new Ctor(new SharedArrayBuffer(Math.max(1, array.byteLength)), 0, array.length);
      copy.set(array as never);
      return copy;
    },
    run(kernel: string, args: KernelArgs, local: Kernel) {
      if (closed) throw new Error('thread pool is closed');
      if (broken) throw new Error(broken);
      Atomics.store(control, 0, 0);
      Atomics.store(control, 1, 0);
      for (const { worker } of workers) worker.postMessage({ kernel, args });
      local(args, 0, threads);
      const deadline = Date.now() + WAIT_LIMIT_MS;
      for (;;) {
        const done = Atomics.load(control, 0);
        if (done >= workers.length) break;
        if (Date.now() > deadline) throw new Error(`ML worker threads did not finish ${kernel} within ${WAIT_LIMIT_MS / 1000} s`);
        Atomics.wait(control, 0, done, 1000);
      }
      if (Atomics.load(control, 1)) {
        const messages = workers.map(({ errors }) => receiveMessageOnPort(errors)?.message).filter(Boolean);
        throw new Error(`ML worker thread failed in ${kernel}: ${messages.join('; ')}`);
      }
    },
    async close() {
      closed = true;
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}
