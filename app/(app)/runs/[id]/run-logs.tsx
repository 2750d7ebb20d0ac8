'use client';

import * as React from 'react';
import { cn } from '@/lib/utils';
import type { LogLine } from '../_components/types';

const LEVEL_STYLES: Record<string, string> = {
  debug: 'text-muted-foreground',
  info: 'text-foreground',
  warn: 'text-warning-soft-foreground',
  error: 'text-danger-soft-foreground font-medium',
};

async function fetchLogs(runId: string, after: string | null): Promise<{ logs: LogLine[]; cursor: string | null }> {
  const qs = after ? `?after=${encodeURIComponent(after)}` : '';
  const res = await fetch(`/api/v1/runs/${encodeURIComponent(runId)}/logs${qs}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as { logs: LogLine[]; cursor: string | null };
}

const time = (iso: string) => new Date(iso).toISOString().slice(11, 19);

/**
 * The run's log, streamed: asks for lines after the last one seen every 1.5 s while
 * the run is live (and once more when it ends), appends them, and keeps the view
 * pinned to the bottom unless the reader has scrolled up.
 */
export function RunLogs({ runId, initial, live, className }: { runId: string; initial: { logs: LogLine[]; cursor: string | null }; live: boolean; className?: string }) {
  const [lines, setLines] = React.useState<LogLine[]>(initial.logs);
  const [failed, setFailed] = React.useState(false);
  const cursor = React.useRef<string | null>(initial.cursor);
  const box = React.useRef<HTMLDivElement>(null);
  const pinned = React.useRef(true);

  React.useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const poll = async () => {
      try {
        // Drain: a burst of lines may need more than one page.
        for (let page = 0; page < 5 && !stopped; page++) {
          const next = await fetchLogs(runId, cursor.current);
          if (stopped) return;
          cursor.current = next.cursor;
          if (next.logs.length) setLines((prev) => [...prev, ...next.logs].slice(-5000));
          if (next.logs.length < 500) break;
        }
        setFailed(false);
      } catch {
        if (!stopped) setFailed(true);
      }
      if (live && !stopped) timer = window.setTimeout(() => void poll(), 1500);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [runId, live]);

  React.useLayoutEffect(() => {
    const el = box.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <div className={cn('grid gap-1', className)}>
      <div
        ref={box}
        role="log"
        aria-label="Run log"
        aria-live="off"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        className="h-80 overflow-auto rounded-md border border-border bg-subtle px-3 py-2 font-mono text-xs leading-5 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      >
        {lines.length === 0 ? <p className="text-muted-foreground">No log lines yet.</p> : null}
        {lines.map((l) => (
          <div key={l.id} className="flex gap-3 whitespace-pre-wrap break-words" data-level={l.level}>
            <span className="shrink-0 text-muted-foreground tabular-nums">{time(l.at)}</span>
            <span className={cn('w-10 shrink-0 uppercase', LEVEL_STYLES[l.level] ?? '')}>{l.level}</span>
            <span className={cn('min-w-0', l.level === 'error' ? LEVEL_STYLES.error : l.level === 'warn' ? LEVEL_STYLES.warn : '')}>{l.message}</span>
          </div>
        ))}
      </div>
      {failed ? <p className="text-xs text-danger-soft-foreground">Lost contact with the server; retrying…</p> : null}
    </div>
  );
}
