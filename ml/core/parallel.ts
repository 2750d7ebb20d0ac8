/**
 * Fork-join over threads, synchronous for the caller: `run` executes a kernel on
 * every thread (the caller is thread 0) and returns when all are done. The ML
 * library stays free of Node imports: the host (server/ml/thread-pool.ts) provides
 * worker_threads and SharedArrayBuffer memory; without one, SERIAL runs the kernel
 * on the calling thread alone, with identical results.
 *
 * Kernels are plain functions registered by name in ./kernels.ts; their typed
 * array arguments must come from `alloc`/`share` (shared memory) when they are
 * outputs or large, because workers see those without copying.
 */
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array | Int8Array;
export type KernelArgs = Record<string, TypedArray | number | number[] | boolean | string | string[] | null>;
export type Kernel = (args: KernelArgs, thread: number, threads: number) => void;

export interface Parallel {
  readonly threads: number;
  /** A zeroed array every thread sees. */
  alloc<T extends TypedArray>(make: new (buffer: ArrayBufferLike, offset: number, length: number) => T, bytesPerElement: number, length: number): T;
  /** A copy of `array` in memory every thread sees (the array itself if it already is). */
  share<T extends TypedArray>(array: T): T;
  run(kernel: string, args: KernelArgs, local: Kernel): void;
}

export const SERIAL: Parallel = {
  threads: 1,
  alloc: (make, bytes, length) => new make(new ArrayBuffer(bytes * length), 0, length),
  share: (array) => array,
  run: (_kernel, args, local) => local(args, 0, 1),
};

export const f64 = (p: Parallel, n: number) => p.alloc(Float64Array, 8, n);
export const f32 = (p: Parallel, n: number) => p.alloc(Float32Array, 4, n);
export const i32 = (p: Parallel, n: number) => p.alloc(Int32Array, 4, n);
export const u8 = (p: Parallel, n: number) => p.alloc(Uint8Array, 1, n);

/** Thread t's share [start, end) of n items. */
export function rangeOf(n: number, thread: number, threads: number): [number, number] {
  return [Math.floor((n * thread) / threads), Math.floor((n * (thread + 1)) / threads)];
}
