'use client';

import * as React from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { RotateCcw, Square } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { cancelRunAction, retryRunAction } from '../actions';
import { RegisterModelButton } from './register-model-button';

/** Cancel (queued/running, confirmed) and Retry (failed/cancelled); the page's polling shows the outcome. */
export function RunActions({ runId, number, status, cancelRequested }: { runId: string; number: number; status: string; cancelRequested: boolean }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [pending, startTransition] = React.useTransition();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['run', runId] });

  if (status === 'failed' || status === 'cancelled') {
    return (
      <div className="grid justify-items-end gap-1">
        <Button
          variant="outline"
          loading={pending}
          onClick={() =>
            startTransition(async () => {
              setError(null);
              const result = await retryRunAction(runId);
              if (result?.ok) await refresh();
              else setError(result?.error.message ?? 'Could not retry the run.');
            })
          }
        >
          {pending ? null : <RotateCcw aria-hidden="true" />}
          Retry
        </Button>
        {error ? <p className="max-w-xs text-right text-xs text-danger-soft-foreground">{error}</p> : null}
      </div>
    );
  }
  if (status === 'succeeded') return <RegisterModelButton runId={runId} number={number} />;
  if (status !== 'queued' && status !== 'running') return null;
  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (!next) setError(null); }}>
      <DialogTrigger asChild>
        <Button variant="outline" disabled={cancelRequested}>
          <Square aria-hidden="true" />
          {cancelRequested ? 'Cancelling…' : 'Cancel run'}
        </Button>
      </DialogTrigger>
      <DialogContent title={`Cancel run #${number}?`} description={status === 'queued' ? 'It has not started; it will not run.' : 'The training process stops within a few seconds; nothing is recorded as a result. You can retry it later.'}>
        {error ? <p className="text-sm text-danger-soft-foreground">{error}</p> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="ghost">Keep running</Button>
          </DialogClose>
          <Button
            variant="destructive"
            loading={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await cancelRunAction(runId);
                if (result?.ok) {
                  setOpen(false);
                  await refresh();
                } else setError(result?.error.message ?? 'Could not cancel the run.');
              })
            }
          >
            Cancel run
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
