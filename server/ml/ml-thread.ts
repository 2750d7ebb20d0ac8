import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { KERNELS } from '../../ml/core/kernels';
import type { KernelArgs } from '../../ml/core/parallel';

/** One worker of server/ml/thread-pool.ts: runs kernels and counts itself done. */
const { thread, threads, control, errors } = workerData as { thread: number; threads: number; control: Int32Array; errors: MessagePort };

parentPort!.on('message', ({ kernel, args }: { kernel: string; args: KernelArgs }) => {
  try {
    const run = KERNELS[kernel];
    if (!run) throw new Error(`unknown kernel ${kernel}`);
    run(args, thread, threads);
  } catch (error) {
    errors.postMessage(`thread ${thread}: ${(error as Error).message}`);
    Atomics.store(control, 1, 1);
  } finally {
    Atomics.add(control, 0, 1);
    Atomics.notify(control, 0);
  }
});

parentPort!.postMessage('ready');
