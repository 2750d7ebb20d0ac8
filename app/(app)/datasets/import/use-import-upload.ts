'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import type { ChosenFile, FileUploadState } from './file-list';
import { cancelImport, completeImport, ImportApiError, isAbort, startImport, uploadFile } from './upload';

export type UploadPhase = 'editing' | 'starting' | 'uploading' | 'completing' | 'cancelling';
export type UploadOutcome =
  | { kind: 'error'; title: string; message: string; nameIssue?: string }
  | { kind: 'cancelled' }
  | { kind: 'duplicate'; datasetName: string; versionId: string; version: number };

const BUSY: UploadPhase[] = ['starting', 'uploading', 'completing', 'cancelling'];

/** "files.1.name: …" from the API becomes "week2.csv: …". */
function fileIssuesNamed(error: ImportApiError | null, files: ChosenFile[]): string | null {
  const issues = error?.fields?.filter((f) => f.field.startsWith('files'));
  if (!issues?.length) return null;
  return issues
    .map((issue) => {
      const index = /^files\.(\d+)/.exec(issue.field)?.[1];
      const file = index !== undefined ? files[Number(index)]?.file.name : undefined;
      return `${file ?? 'Files'}: ${issue.message}.`;
    })
    .join(' ');
}

/**
 * The browser import, one step after another: open the import, PUT the files one at a
 * time with progress, complete it. Any failure or a cancel deletes the import on the
 * server, so nothing half-uploaded stays behind. Success opens the version page.
 */
export function useImportUpload() {
  const router = useRouter();
  const [phase, setPhase] = React.useState<UploadPhase>('editing');
  const [uploads, setUploads] = React.useState<Record<number, FileUploadState> | null>(null);
  const [outcome, setOutcome] = React.useState<UploadOutcome | null>(null);
  const [startedAt, setStartedAt] = React.useState<number | null>(null);
  const [now, setNow] = React.useState(0);
  const abort = React.useRef<AbortController | null>(null);
  const busy = BUSY.includes(phase);

  // Leaving mid-upload would abandon the import: the browser asks first. The clock drives the rate.
  React.useEffect(() => {
    if (!busy) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    const tick = window.setInterval(() => setNow(Date.now()), 500);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.clearInterval(tick);
    };
  }, [busy]);

  const setUpload = (id: number, state: FileUploadState) => setUploads((current) => ({ ...(current ?? {}), [id]: state }));

  /** Resolves true when the files were recognised as an existing version (the caller clears its list). */
  async function run(input: { dataset: string; description?: string; files: ChosenFile[] }): Promise<boolean> {
    const { files } = input;
    const controller = new AbortController();
    abort.current = controller;
    setOutcome(null);
    setPhase('starting');
    setStartedAt(Date.now());
    setNow(Date.now());
    setUploads(Object.fromEntries(files.map((f) => [f.id, { status: 'waiting', loaded: 0 } satisfies FileUploadState])));

    let versionId: string | null = null;
    let current: ChosenFile | null = null;
    try {
      const started = await startImport(
        { dataset: input.dataset, ...(input.description ? { description: input.description } : {}), files: files.map((f) => ({ name: f.file.name, bytes: f.file.size })) },
        controller.signal,
      );
      versionId = started.versionId;
      setPhase('uploading');
      for (const chosen of files) {
        current = chosen;
        setUpload(chosen.id, { status: 'uploading', loaded: 0 });
        const url = started.uploadUrls[chosen.file.name];
        if (!url) throw new ImportApiError(`The server did not expect ${chosen.file.name}.`, 0);
        await uploadFile(url, chosen.file, (loaded) => setUpload(chosen.id, { status: 'uploading', loaded }), controller.signal);
        setUpload(chosen.id, { status: 'done', loaded: chosen.file.size });
      }
      current = null;
      setPhase('completing');
      const completed = await completeImport(started.completeUrl);
      if (completed.duplicate) {
        setOutcome({ kind: 'duplicate', datasetName: started.datasetName, versionId: completed.version.id, version: completed.version.version });
        setPhase('editing');
        setUploads(null);
        router.refresh();
        return true;
      }
      router.push(`/datasets/${encodeURIComponent(started.datasetName)}/versions/${completed.version.id}`);
      return false;
    } catch (error) {
      // Only the file that failed keeps a mark: the others were discarded with the import.
      setUploads(current && !isAbort(error) ? { [current.id]: { status: 'failed', loaded: 0 } } : null);
      if (versionId) {
        setPhase('cancelling');
        await cancelImport(versionId);
      }
      // The server creates a new dataset on the first attempt: refresh the list of names.
      router.refresh();
      setPhase('editing');
      if (isAbort(error)) {
        setOutcome({ kind: 'cancelled' });
        return false;
      }
      const apiError = error instanceof ImportApiError ? error : null;
      const message = apiError?.message ?? (error as Error).message ?? 'Unexpected error.';
      const nameIssue = apiError?.fields?.find((f) => f.field === 'dataset')?.message;
      setOutcome(
        current
          ? { kind: 'error', title: `${current.file.name} could not be uploaded`, message: `${message} The whole import was cancelled; import the files again once the problem is fixed.` }
          : { kind: 'error', title: versionId ? 'The import could not be completed' : 'The import could not be started', message: fileIssuesNamed(apiError, files) ?? message, nameIssue },
      );
      return false;
    } finally {
      abort.current = null;
    }
  }

  return {
    phase,
    busy,
    uploads,
    outcome,
    elapsedMs: startedAt ? Math.max(0, now - startedAt) : 0,
    run,
    cancel: () => abort.current?.abort(),
    clear: () => {
      setOutcome(null);
      setUploads(null);
    },
  };
}
