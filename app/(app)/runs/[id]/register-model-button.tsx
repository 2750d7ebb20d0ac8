'use client';

import * as React from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Boxes, PackagePlus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { APPROVAL_LABELS, type ApprovalStatusName } from '@/lib/models';
import { registerModelAction } from '../../models/actions';
import type { RunView } from '../_components/types';

async function fetchRun(runId: string): Promise<RunView> {
  const res = await fetch(`/api/v1/runs/${encodeURIComponent(runId)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as RunView;
}

/**
 * On a succeeded run: "Register as model" (with an optional comment), or a link
 * to the version it already is. It reads the run from the page's live query, so
 * it follows the run without a prop of its own.
 */
export function RegisterModelButton({ runId, number }: { runId: string; number: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // Shares the run page's cache entry; never refetches on its own account.
  const { data: run } = useQuery({ queryKey: ['run', runId], queryFn: () => fetchRun(runId), staleTime: Infinity });
  const [open, setOpen] = React.useState(false);
  const [comment, setComment] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [pending, startTransition] = React.useTransition();

  const registered = run?.modelVersion;
  if (registered) {
    const status = APPROVAL_LABELS[registered.status as ApprovalStatusName] ?? registered.status;
    return (
      <Button asChild variant="outline">
        <Link href={`/models/${registered.id}`}>
          <Boxes aria-hidden="true" />
          Model v{registered.version} · {status}
        </Link>
      </Button>
    );
  }
  if (run && run.status !== 'succeeded') return null;

  return (
    <Dialog open={open} onOpenChange={(next) => { setOpen(next); if (!next) setError(null); }}>
      <DialogTrigger asChild>
        <Button>
          <PackagePlus aria-hidden="true" />
          Register as model
        </Button>
      </DialogTrigger>
      <DialogContent title={`Register run #${number} as a model version?`} description="It becomes the next version of the model, pending approval. Its KPI gates are checked now, against the thresholds in force.">
        <Field label="Comment" hint="Optional: why this run is proposed. Shown on the version's timeline.">
          <Textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
        </Field>
        {error ? <p role="alert" className="text-sm text-danger-soft-foreground">{error}</p> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="ghost">Not now</Button>
          </DialogClose>
          <Button
            loading={pending}
            onClick={() =>
              startTransition(async () => {
                setError(null);
                const result = await registerModelAction(runId, comment);
                if (result?.ok) {
                  await queryClient.invalidateQueries({ queryKey: ['run', runId] });
                  setOpen(false);
                  router.push(`/models/${result.data.id}`);
                } else setError(result?.error.message ?? 'Could not register the run.');
              })
            }
          >
            Register
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
