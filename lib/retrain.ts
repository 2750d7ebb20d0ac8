/**
 * Client-safe shapes of the per-dataset "retrain when a new version arrives"
 * setting, shared by the REST API, the CLI and the dataset page.
 */
export const RETRAIN_STATUSES = ['training', 'registered', 'run_failed', 'failed', 'skipped'] as const;
export type RetrainStatusName = (typeof RETRAIN_STATUSES)[number];

export const RETRAIN_STATUS_LABELS: Record<RetrainStatusName, string> = {
  training: 'Training',
  registered: 'Registered for approval',
  run_failed: 'Run failed',
  failed: 'Failed',
  skipped: 'Not launched',
};

/** The tag every automatically launched retrain run carries. */
export const RETRAIN_TAG = 'retrain';

export type RetrainTemplateView = {
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  /** How it was chosen: a run, or the model serving a deployment (copied when saved). */
  source: 'run' | 'deployment';
  sourceRun: { id: string; number: number; name: string; dataset: string } | null;
};

export type RetrainTriggerView = {
  id: string;
  status: RetrainStatusName;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
  datasetVersion: { id: string; version: number | null };
  candidateFor: string | null;
  run: { id: string; number: number; status: string; error: string | null } | null;
  model: { id: string; name: string; version: number; status: string; gatesPassed: boolean; failedGates: string[] } | null;
};

export type RetrainSettingView = {
  dataset: string;
  enabled: boolean;
  template: RetrainTemplateView | null;
  candidateFor: string | null;
  /** Who last turned it on (null when from the CLI or never). */
  owner: string | null;
  enabledAt: string | null;
  updatedAt: string | null;
  lastTrigger: RetrainTriggerView | null;
  recent: RetrainTriggerView[];
};
