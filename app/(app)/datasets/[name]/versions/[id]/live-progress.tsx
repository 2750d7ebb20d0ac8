'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { Check, LoaderCircle } from 'lucide-react';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { formatDuration } from '@/lib/datasets/format';
import { describeStage, importStepIndex, IMPORT_STEPS, isInProgress } from '@/lib/datasets/status';
import { cn } from '@/lib/utils';
import { ProgressBar } from '../../../_components/progress-bar';
import { CancelImportButton } from './cancel-import-button';

export type LiveVersion = {
  id: string;
  status: string;
  stage: string | null;
  progress: number;
  createdAt: string;
  errorMessage: string | null;
  sourceFiles: { name: string; bytes: number; sha256: string | null }[];
};

async function fetchVersion(id: string): Promise<LiveVersion> {
  const res = await fetch(`/api/v1/datasets/versions/${encodeURIComponent(id)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`Could not read the import's status (HTTP ${res.status}).`);
  return (await res.json()) as LiveVersion;
}

/**
 * The import as it runs: polls the status endpoint every second while the version is
 * uploading or processing, then refreshes the page (which renders the final state).
 */
export function LiveProgress({ initial, canCancel }: { initial: LiveVersion; canCancel: boolean }) {
  const router = useRouter();
  const { data, isError } = useQuery({
    queryKey: ['dataset-version', initial.id],
    queryFn: () => fetchVersion(initial.id),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (query) => (isInProgress(query.state.data?.status ?? 'ready') ? 1000 : false),
  });
  const version = data ?? initial;
  const running = isInProgress(version.status);
  const [now, setNow] = React.useState<number | null>(null);

  React.useEffect(() => {
    if (!running) {
      router.refresh();
      return;
    }
    // The clock starts after hydration, so the server render never disagrees with the client's.
    const tick = () => setNow(Date.now());
    const first = window.setTimeout(tick, 0);
    const timer = window.setInterval(tick, 1000);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [running, router]);

  const step = importStepIndex(version.status, version.stage);
  const received = version.sourceFiles.filter((f) => f.sha256).length;
  const pct = Math.round(Math.min(1, Math.max(0, version.progress)) * 100);
  const elapsed = now === null ? null : now - new Date(version.createdAt).getTime();
  const detail =
    version.status === 'uploading'
      ? `Waiting for the files: ${received} of ${version.sourceFiles.length} received`
      : describeStage(version.stage);

  return (
    <Card aria-labelledby="live-progress-title">
      <CardHeader>
        <CardTitle id="live-progress-title" className="flex items-center gap-2">
          {running ? <LoaderCircle className="size-4 animate-spin text-primary motion-reduce:animate-none" aria-hidden="true" /> : null}
          {running ? (version.status === 'uploading' ? 'Uploading' : 'Validating and processing') : 'Finishing…'}
        </CardTitle>
        <CardDescription aria-live="polite">{detail}</CardDescription>
        {canCancel && running ? (
          <CardAction>
            <CancelImportButton versionId={version.id} />
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid gap-1.5">
          <ProgressBar value={version.progress} label="Import progress" valueText={`${pct}% — ${detail}`} />
          <div className="flex justify-between text-xs text-muted-foreground tabular-nums">
            <span>{pct}%</span>
            <span>{elapsed === null ? '' : `${formatDuration(Math.max(0, elapsed))} elapsed`}</span>
          </div>
        </div>
        <ol className="grid grid-cols-3 gap-x-2 gap-y-3 sm:grid-cols-6" aria-label="Import steps">
          {IMPORT_STEPS.map((s, i) => {
            const state = i < step ? 'done' : i === step ? 'current' : 'todo';
            return (
              <li key={s.key} className="flex items-center gap-2 text-xs" aria-current={state === 'current' ? 'step' : undefined}>
                <span
                  className={cn(
                    'flex size-5 shrink-0 items-center justify-center rounded-full border text-[10px] font-medium tabular-nums',
                    state === 'done' && 'border-success-border bg-success-soft text-success-soft-foreground',
                    state === 'current' && 'border-primary bg-primary text-primary-foreground',
                    state === 'todo' && 'border-border bg-subtle text-muted-foreground',
                  )}
                  aria-hidden="true"
                >
                  {state === 'done' ? <Check className="size-3" /> : i + 1}
                </span>
                <span className={cn(state === 'todo' ? 'text-muted-foreground' : 'font-medium text-foreground')}>
                  {s.label}
                  <span className="sr-only">{state === 'done' ? ' (done)' : state === 'current' ? ' (in progress)' : ''}</span>
                </span>
              </li>
            );
          })}
        </ol>
        {isError ? <p className="text-xs text-danger-soft-foreground">Lost contact with the server; retrying…</p> : null}
        <p className="text-xs text-muted-foreground">You can leave this page: processing continues in the background, and the version appears on the dataset page when it is ready.</p>
      </CardContent>
    </Card>
  );
}
