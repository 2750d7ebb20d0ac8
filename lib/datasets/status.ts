import type { QualityReport } from './types';

/** Lifecycle of an import; only `ready` versions get a number and can be used. */
export const VERSION_STATUSES = ['uploading', 'importing', 'validating', 'ready', 'rejected', 'failed', 'cancelled'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const IN_PROGRESS_STATUSES: readonly VersionStatus[] = ['uploading', 'importing', 'validating'];

export function isInProgress(status: string): boolean {
  return (IN_PROGRESS_STATUSES as readonly string[]).includes(status);
}

type Tone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

const STATUS: Record<VersionStatus, { label: string; tone: Tone }> = {
  uploading: { label: 'Uploading', tone: 'accent' },
  importing: { label: 'Importing', tone: 'accent' },
  validating: { label: 'Validating', tone: 'accent' },
  ready: { label: 'Ready', tone: 'success' },
  rejected: { label: 'Rejected', tone: 'danger' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
};

export function statusDisplay(status: string): { label: string; tone: Tone } {
  return STATUS[status as VersionStatus] ?? { label: status, tone: 'neutral' };
}

const QUALITY: Record<QualityReport['status'], { label: string; tone: Tone }> = {
  passed: { label: 'Passed', tone: 'success' },
  warnings: { label: 'Warnings', tone: 'warning' },
  failed: { label: 'Failed', tone: 'danger' },
};

export function qualityDisplay(status: QualityReport['status']): { label: string; tone: Tone } {
  return QUALITY[status] ?? { label: status, tone: 'neutral' };
}

/** The worker prefixes rejections with "Rejected:"; next to a Rejected badge that is said twice. */
export function attemptMessage(message: string | null): string | null {
  if (!message) return null;
  const text = message.replace(/^Rejected:\s*/, '');
  // Sentence case for a plain leading word ("cancelled by…"), never for a file name.
  return /^[a-z]+\s/.test(text) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
}

/**
 * The steps an import goes through, matched against the worker's `stage` text
 * ("parsing: 2,519,777 rows"). `storing` and `queued` fold into their neighbours.
 */
export const IMPORT_STEPS = [
  { key: 'upload', label: 'Upload', stages: ['uploading'] },
  { key: 'queue', label: 'Queued', stages: ['queued'] },
  { key: 'inspect', label: 'Inspect', stages: ['inspecting'] },
  { key: 'parse', label: 'Parse', stages: ['parsing'] },
  { key: 'check', label: 'Check', stages: ['checking'] },
  { key: 'write', label: 'Write & profile', stages: ['writing', 'profiling', 'storing'] },
] as const;

/** Index of the current step in IMPORT_STEPS (−1 when the stage is unknown). */
export function importStepIndex(status: string, stage: string | null): number {
  if (status === 'uploading') return 0;
  const head = (stage ?? '').split(':')[0]!.trim().toLowerCase();
  const index = IMPORT_STEPS.findIndex((step) => (step.stages as readonly string[]).includes(head));
  if (index >= 0) return index;
  return status === 'importing' || status === 'validating' ? 1 : -1;
}

/** "parsing: 2,519,777 rows" → "Parsing — 2,519,777 rows". */
export function describeStage(stage: string | null): string {
  if (!stage) return 'Waiting for the worker';
  const [head, ...rest] = stage.split(':');
  const title = head!.trim();
  const detail = rest.join(':').trim();
  const text = title === 'queued' ? 'Queued for the worker' : `${title.charAt(0).toUpperCase()}${title.slice(1)}`;
  return detail ? `${text} — ${detail}` : text;
}
