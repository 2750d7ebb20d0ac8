'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Dialog, DialogContent } from '@/components/ui/dialog';
import { Select } from '@/components/ui/select';
import { ROLE_LABELS } from '@/components/shell/role-label';
import type { ActionState } from '@/lib/action-result';
import { changeRoleAction, resetPasswordAction, revokeInviteAction, setActiveAction } from './actions';

function useAction() {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (fn: () => Promise<ActionState<unknown>>) =>
    start(async () => {
      const result = await fn();
      setError(result && !result.ok ? result.error.message : null);
    });
  return { pending, error, run };
}

export function RoleCell({ userId, role, email }: { userId: string; role: string; email: string }) {
  const { pending, error, run } = useAction();
  return (
    <div className="grid gap-1">
      <Select aria-label={`Role of ${email}`} defaultValue={role} disabled={pending} onChange={(e) => run(() => changeRoleAction(userId, e.target.value))} className="h-8 min-w-36 text-sm">
        {Object.entries(ROLE_LABELS).map(([value, label]) => (
          <option key={value} value={value}>{label}</option>
        ))}
      </Select>
      {error ? <p className="text-xs text-danger-soft-foreground" role="alert">{error}</p> : null}
    </div>
  );
}

export function UserActions({ userId, email, isActive }: { userId: string; email: string; isActive: boolean }) {
  const { pending, error, run } = useAction();
  const [reset, setReset] = useState<{ email: string; password: string } | null>(null);
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <Button size="sm" variant="outline" disabled={pending} onClick={() => run(() => setActiveAction(userId, !isActive))} aria-label={`${isActive ? 'Deactivate' : 'Reactivate'} ${email}`}>
        {isActive ? 'Deactivate' : 'Reactivate'}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        disabled={pending || !isActive}
        aria-label={`Reset password of ${email}`}
        onClick={() =>
          run(async () => {
            const result = await resetPasswordAction(userId);
            if (result?.ok) setReset(result.data);
            return result;
          })
        }
      >
        Reset password
      </Button>
      {error ? <p className="w-full text-right text-xs text-danger-soft-foreground" role="alert">{error}</p> : null}
      <Dialog open={reset !== null} onOpenChange={(open) => !open && setReset(null)}>
        <DialogContent title={`New password for ${reset?.email ?? ''}`} description="Shown only now. They are signed out everywhere and can change it after signing in.">
          {reset ? <CodeBlock code={reset.password} /> : null}
        </DialogContent>
      </Dialog>
    </div>
  );
}

export function RevokeInviteButton({ inviteId, email }: { inviteId: string; email: string }) {
  const { pending, error, run } = useAction();
  return (
    <>
      <Button size="sm" variant="ghost" disabled={pending} onClick={() => run(() => revokeInviteAction(inviteId))} aria-label={`Revoke invite for ${email}`}>
        Revoke
      </Button>
      {error ? <span className="text-xs text-danger-soft-foreground">{error}</span> : null}
    </>
  );
}
