/** Problems the ML library reports to its callers, each with a clear, specific message. */
export type MlErrorCode = 'INVALID_DATA' | 'INVALID_PARAM' | 'ARTIFACT' | 'CANCELLED';

export class MlError extends Error {
  constructor(public readonly code: MlErrorCode, message: string) {
    super(message);
    this.name = 'MlError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new MlError('CANCELLED', 'Training was cancelled');
}
