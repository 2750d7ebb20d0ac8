import { formatBytes, formatDuration } from '@/lib/datasets/format';
import { ProgressBar } from '../_components/progress-bar';
import type { UploadPhase } from './use-import-upload';

const TITLES: Partial<Record<UploadPhase, string>> = {
  starting: 'Opening the import…',
  uploading: 'Uploading',
  completing: 'Upload complete — queueing validation…',
  cancelling: 'Cancelling…',
};

/** Overall upload progress: bytes sent of the total, the rate and a rough time left. */
export function UploadProgress({ phase, sentBytes, totalBytes, elapsedMs }: { phase: UploadPhase; sentBytes: number; totalBytes: number; elapsedMs: number }) {
  const pct = totalBytes ? Math.floor((sentBytes / totalBytes) * 100) : 0;
  const rate = elapsedMs > 1000 ? sentBytes / (elapsedMs / 1000) : 0;
  const remaining = rate > 0 ? ((totalBytes - sentBytes) / rate) * 1000 : null;
  return (
    <div className="grid gap-2 rounded-lg border border-border bg-subtle p-4" aria-live="polite">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm">
        <p className="font-medium">{TITLES[phase] ?? 'Uploading'}</p>
        <p className="text-xs text-muted-foreground tabular-nums">
          {formatBytes(sentBytes)} of {formatBytes(totalBytes)} · {pct}%
        </p>
      </div>
      <ProgressBar value={totalBytes ? sentBytes / totalBytes : 0} label="Upload progress" valueText={`${formatBytes(sentBytes)} of ${formatBytes(totalBytes)} (${pct}%)`} />
      <p className="text-xs text-muted-foreground tabular-nums">
        {rate > 0 ? `${formatBytes(rate)}/s` : 'Starting…'}
        {remaining !== null && phase === 'uploading' ? ` · about ${formatDuration(Math.max(1000, remaining))} left` : ''} · keep this page open until the upload finishes
      </p>
    </div>
  );
}
