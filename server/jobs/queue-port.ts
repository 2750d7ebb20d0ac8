import 'server-only';

/** Background jobs the control plane hands to workers. */
export type JobPayloads = {
  'dataset.process': { versionId: string };
  'demo.setup': { rows: number; seed: number };
  'run.execute': { runId: string };
};
export type JobName = keyof JobPayloads;

export interface JobQueue {
  send<N extends JobName>(name: N, data: JobPayloads[N]): Promise<string | null>;
}
