'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { revokeKeyAction } from './actions';

export function RevokeKeyButton({ keyId, name }: { keyId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">Revoke</Button>
      </DialogTrigger>
      <DialogContent title={`Revoke "${name}"?`} description="Programs using this key are refused at once. This cannot be undone.">
        {error ? <p className="text-sm text-danger-soft-foreground">{error}</p> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="ghost">Cancel</Button>
          </DialogClose>
          <Button
            variant="destructive"
            loading={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await revokeKeyAction(keyId);
                if (result?.ok) setOpen(false);
                else setError(result?.error.message ?? 'Could not revoke the key.');
              })
            }
          >
            Revoke key
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
