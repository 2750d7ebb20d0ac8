'use client';

import * as React from 'react';
import { Undo2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { rollbackAction } from './actions';

/**
 * Roll a deployment back, confirmed in a dialog with an optional comment: to the
 * version that served before the current one (no `to`), or to a given earlier one.
 */
export function RollbackButton({ deployment, target, current, to, compact = false }: { deployment: string; target: string; current: string | null; to?: string; compact?: boolean }) {
  const [open, setOpen] = React.useState(false);
  const [comment, setComment] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [pending, startTransition] = React.useTransition();
  const title = `Roll back ${deployment} to ${target}`;

  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (!next) setError(null); }}>
      <DialogTrigger asChild>
        {compact ? (
          <Button variant="ghost" size="sm" aria-label={title}>
            <Undo2 aria-hidden="true" />
            Roll back to this version
          </Button>
        ) : (
          <Button variant="outline">
            <Undo2 aria-hidden="true" />
            Roll back to {target}
          </Button>
        )}
      </DialogTrigger>
      <DialogContent
        title={`${title}?`}
        description={`${current ? `${current} serves ${deployment} now. ` : ''}The inference service switches to ${target} within seconds, without dropping requests. You can deploy ${current ?? 'it'} again later.`}
      >
        <Field label="Comment" hint="Optional: why. Shown in the deployment history and the audit log.">
          <Textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
        </Field>
        {error ? <p role="alert" className="text-sm text-danger-soft-foreground">{error}</p> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="ghost">Cancel</Button>
          </DialogClose>
          <Button
            loading={pending}
            onClick={() =>
              startTransition(async () => {
                setError(null);
                const result = await rollbackAction(deployment, { ...(to ? { to } : {}), ...(comment.trim() ? { comment } : {}) });
                if (result?.ok) {
                  setOpen(false);
                  setComment('');
                } else setError(result?.error.message ?? 'Could not roll back.');
              })
            }
          >
            Roll back
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
