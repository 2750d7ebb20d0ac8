import type { Metadata } from 'next';
import { roleLabel } from '@/components/shell/role-label';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { ROLE_PERMISSIONS } from '@/lib/permissions';
import { requireSessionActor } from '@/server/auth/session';
import { PasswordForm } from './password-form';

export const metadata: Metadata = { title: 'Profile' };

const ROLE_TEXT = {
  admin: 'Manages users, API keys and settings, and can do everything an engineer or approver can.',
  ml_engineer: 'Imports datasets, launches runs, registers models and deploys approved ones.',
  approver: 'Approves or rejects registered models (never one they trained themselves).',
  viewer: 'Sees everything, changes nothing: for dashboards and reviews.',
} as const;

export default async function ProfilePage() {
  const actor = await requireSessionActor();
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Your account</CardTitle>
          <CardDescription>{ROLE_TEXT[actor.role]}</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[7rem_1fr] gap-y-2 text-sm">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{actor.name}</dd>
            <dt className="text-muted-foreground">Email</dt>
            <dd>{actor.email}</dd>
            <dt className="text-muted-foreground">Role</dt>
            <dd>
              <Badge variant="accent">{roleLabel(actor.role)}</Badge>
            </dd>
            <dt className="text-muted-foreground">Permissions</dt>
            <dd className="flex flex-wrap gap-1">
              {[...ROLE_PERMISSIONS[actor.role]].map((p) => (
                <Badge key={p} variant="outline" className="font-mono">{p}</Badge>
              ))}
            </dd>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Change password</CardTitle>
        </CardHeader>
        <CardContent>
          <PasswordForm />
        </CardContent>
      </Card>
    </div>
  );
}
