'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from '@/components/ui/dialog';
import { isInProgress } from '@/lib/datasets/status';

async function isStopped(versionId: string): Promise<boolean> {
  const res = await fetch(`/api/v1/datasets/versions/${encodeURIComponent(versionId)}`, { cache: 'no-store' }).catch(() => null);
  if (!res?.ok) return false;
  const version = (await res.json().catch(() => null)) as { status?: string } | null;
  return Boolean(version?.status && !isInProgress(version.status));
}

/** Cancel an import that has not finished: confirms, then DELETEs it (the server removes everything stored). */
export function CancelImportButton({ versionId }: { versionId: string }) {
  const router = useRouter();
  const [open, setOpen] = React.useState(false);
  const [pending, setPending] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

  const cancel = async () => {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(`/api/v1/datasets/imports/${encodeURIComponent(versionId)}`, { method: 'DELETE' });
      // Judge by the outcome, not the answer: a cancel that raced the import's end (409), or an
      // error while answering, still leaves the import stopped.
      if (!res.ok && (await isStopped(versionId))) {
        setOpen(false);
        router.refresh();
        return;
      }
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `The import could not be cancelled (HTTP ${res.status}).`);
      }
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (!next) setError(null); }}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Cancel import
        </Button>
      </DialogTrigger>
      <DialogContent title="Cancel this import?" description="Processing stops within a few seconds and everything uploaded so far is deleted. Nothing becomes a version.">
        {error ? <Callout variant="danger">{error}</Callout> : null}
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="ghost">Keep importing</Button>
          </DialogClose>
          <Button variant="destructive" loading={pending} onClick={() => void cancel()}>
            Cancel import
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
