'use client';

import { CircleCheck, CircleX, FileText, LoaderCircle, X } from 'lucide-react';
import { formatBytes } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';
import { ProgressBar } from '../_components/progress-bar';

export type FileUploadState = { status: 'waiting' | 'uploading' | 'done' | 'failed'; loaded: number };
export type ChosenFile = { id: number; file: File };

export type FileListProps = {
  files: ChosenFile[];
  problems: (string | null)[];
  uploads: Record<number, FileUploadState> | null;
  onRemove?: (id: number) => void;
};

function UploadStatus({ state, size }: { state: FileUploadState; size: number }) {
  const pct = size > 0 ? Math.round((state.loaded / size) * 100) : 0;
  switch (state.status) {
    case 'waiting':
      return <span className="text-xs text-muted-foreground">Waiting</span>;
    case 'uploading':
      return (
        <span className="inline-flex items-center gap-1.5 text-xs font-medium text-primary-soft-foreground tabular-nums">
          <LoaderCircle className="size-3.5 animate-spin motion-reduce:animate-none" aria-hidden="true" />
          Uploading {pct}%
        </span>
      );
    case 'done':
      return (
        <span className="inline-flex items-center gap-1.5 text-xs font-medium text-success-soft-foreground">
          <CircleCheck className="size-3.5" aria-hidden="true" />
          Uploaded
        </span>
      );
    case 'failed':
      return (
        <span className="inline-flex items-center gap-1.5 text-xs font-medium text-danger-soft-foreground">
          <CircleX className="size-3.5" aria-hidden="true" />
          Failed
        </span>
      );
  }
}

export function FileList({ files, problems, uploads, onRemove }: FileListProps) {
  if (files.length === 0) return null;
  return (
    <ul className="divide-y divide-border overflow-hidden rounded-lg border border-border bg-card" aria-label="Chosen files">
      {files.map(({ id, file }, i) => {
        const problem = problems[i];
        const state = uploads?.[id];
        return (
          <li key={id} className={cn('grid gap-1.5 px-3 py-2.5', problem && !uploads && 'bg-danger-soft/40')}>
            <div className="flex min-w-0 items-center gap-3">
              <FileText className={cn('size-4 shrink-0', problem && !uploads ? 'text-danger' : 'text-muted-foreground')} aria-hidden="true" />
              <span className="grid min-w-0 flex-1">
                <span className="truncate font-mono text-[13px]" title={file.name}>
                  {file.name}
                </span>
                <span className="text-xs text-muted-foreground tabular-nums sm:hidden">{formatBytes(file.size)}</span>
              </span>
              <span className="hidden shrink-0 text-xs text-muted-foreground tabular-nums sm:inline">{formatBytes(file.size)}</span>
              {state ? (
                <span className="shrink-0 text-right sm:w-28">
                  <UploadStatus state={state} size={file.size} />
                </span>
              ) : null}
              {onRemove ? (
                <button
                  type="button"
                  onClick={() => onRemove(id)}
                  aria-label={`Remove ${file.name}`}
                  className="-my-1 inline-flex size-7 shrink-0 items-center justify-center rounded-md text-muted-foreground transition-colors hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                >
                  <X className="size-4" aria-hidden="true" />
                </button>
              ) : null}
            </div>
            {problem && !uploads ? <p className="pl-7 text-xs font-medium text-danger-soft-foreground">{problem}</p> : null}
            {state?.status === 'uploading' ? (
              <ProgressBar value={file.size ? state.loaded / file.size : 0} label={`Upload of ${file.name}`} size="sm" className="ml-7 w-auto" />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
