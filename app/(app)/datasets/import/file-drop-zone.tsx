'use client';

import * as React from 'react';
import { UploadCloud } from 'lucide-react';
import { cn } from '@/lib/utils';

export type FileDropZoneProps = {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
  /** id of a hint/error element describing the zone. */
  describedBy?: string;
  invalid?: boolean;
};

/**
 * Drop files here or pick them. The real <input type=file> stays in the tab order
 * (visually hidden) so keyboards and screen readers use the platform's own picker.
 */
export function FileDropZone({ onFiles, disabled = false, describedBy, invalid = false }: FileDropZoneProps) {
  const inputId = React.useId();
  const [isDragging, setDragging] = React.useState(false);
  const depth = React.useRef(0);

  const onDrop = (event: React.DragEvent) => {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    if (disabled) return;
    const files = [...event.dataTransfer.files];
    if (files.length) onFiles(files);
  };

  return (
    <div
      onDragEnter={(event) => {
        event.preventDefault();
        depth.current++;
        if (!disabled) setDragging(true);
      }}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      }}
      onDrop={onDrop}
      className={cn(
        'relative flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-8 text-center transition-colors',
        'has-[input:focus-visible]:border-ring has-[input:focus-visible]:ring-3 has-[input:focus-visible]:ring-ring/25',
        isDragging ? 'border-primary bg-primary-soft/60' : invalid ? 'border-danger bg-danger-soft/40' : 'border-input bg-subtle',
        disabled && 'opacity-60',
      )}
    >
      <div className={cn('flex size-10 items-center justify-center rounded-lg border border-border bg-card shadow-xs', isDragging ? 'text-primary' : 'text-muted-foreground')} aria-hidden="true">
        <UploadCloud className="size-5" />
      </div>
      <div className="grid gap-1">
        <p className="text-sm font-medium">{isDragging ? 'Drop to add the files' : 'Drag and drop transaction files here'}</p>
        <p className="text-xs text-muted-foreground">.csv or .csv.gz · several at once · up to 20 GB per import</p>
      </div>
      <input
        id={inputId}
        type="file"
        multiple
        accept=".csv,.gz"
        className="peer sr-only"
        disabled={disabled}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // Reset so choosing the same file again still fires a change.
          event.currentTarget.value = '';
          if (files.length) onFiles(files);
        }}
      />
      <label
        htmlFor={inputId}
        className={cn(
          'inline-flex h-8 cursor-pointer items-center gap-1.5 rounded-lg border border-input bg-card px-3 text-[13px] font-medium shadow-xs transition-colors hover:bg-muted',
          disabled && 'pointer-events-none',
        )}
      >
        Choose files
      </label>
    </div>
  );
}
