'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { Square } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { cancelSweepAction } from '../../actions';

/** While the sweep runs, re-render the (server) page every 2 s so counts and results move. */
export function SweepAutoRefresh({ active }: { active: boolean }) {
  const router = useRouter();
  React.useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => router.refresh(), 2000);
    return () => window.clearInterval(timer);
  }, [active, router]);
  return null;
}

export function CancelSweepButton({ sweepId }: { sweepId: string }) {
  const router = useRouter();
  const [open, setOpen] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const [pending, startTransition] = React.useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <Square aria-hidden="true" />
          Cancel sweep
        </Button>
      </DialogTrigger>
      <DialogContent title="Cancel this sweep?" description="Queued runs are dropped and running ones stop within seconds. Finished runs keep their results.">
        {error ? <p className="text-sm text-danger-soft-foreground">{error}</p> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="ghost">Keep going</Button>
          </DialogClose>
          <Button
            variant="destructive"
            loading={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await cancelSweepAction(sweepId);
                if (result?.ok) {
                  setOpen(false);
                  router.refresh();
                } else setError(result?.error.message ?? 'Could not cancel the sweep.');
              })
            }
          >
            Cancel sweep
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
