import type { Metadata } from 'next';
import { roleLabel } from '@/components/shell/role-label';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { listOpenInvites } from '@/server/services/users/invites';
import { listUsers } from '@/server/services/users/list-users';
import { CreateUserForm, InviteForm } from './add-user-forms';
import { RevokeInviteButton, RoleCell, UserActions } from './user-row-actions';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const ctx = await pageContext();
  const isAdmin = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'users:manage');
  const selfId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const [users, invites] = await Promise.all([listUsers(ctx), isAdmin ? listOpenInvites(ctx) : Promise.resolve([])]);
  return (
    <div className="grid gap-6">
      {isAdmin ? (
        <Card>
          <CardHeader>
            <CardTitle>Add people</CardTitle>
            <CardDescription>Invite by link (they choose their own password), or create an account with a generated password.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <section aria-labelledby="invite-heading" className="grid gap-3">
              <h3 id="invite-heading" className="text-sm font-medium">Invite by link</h3>
              <InviteForm />
            </section>
            <section aria-labelledby="create-heading" className="grid gap-3 border-t border-border pt-6">
              <h3 id="create-heading" className="text-sm font-medium">Or create an account with a generated password</h3>
              <CreateUserForm />
            </section>
          </CardContent>
        </Card>
      ) : null}
      <section aria-labelledby="users-heading" className="grid gap-3">
        <h2 id="users-heading" className="text-base font-semibold">People ({users.length})</h2>
        <Table>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH>Status</TH>
              <TH>Last sign-in</TH>
              {isAdmin ? <TH><span className="sr-only">Actions</span></TH> : null}
            </TR>
          </THead>
          <TBody>
            {users.map((u) => (
              <TR key={u.id} data-testid={`user-row-${u.email}`}>
                <TD className="font-medium">{u.name}{u.id === selfId ? <span className="ml-1 text-xs text-muted-foreground">(you)</span> : null}</TD>
                <TD>{u.email}</TD>
                <TD>{isAdmin && u.id !== selfId ? <RoleCell userId={u.id} role={u.role} email={u.email} /> : <Badge variant="outline">{roleLabel(u.role)}</Badge>}</TD>
                <TD>{u.isActive ? <Badge variant="success" dot>Active</Badge> : <Badge variant="neutral">Deactivated</Badge>}</TD>
                <TD className="whitespace-nowrap">{u.lastLoginAt ? formatRelative(u.lastLoginAt) : 'never'}</TD>
                {isAdmin ? <TD>{u.id !== selfId ? <UserActions userId={u.id} email={u.email} isActive={u.isActive} /> : null}</TD> : null}
              </TR>
            ))}
          </TBody>
        </Table>
      </section>
      {isAdmin && invites.length > 0 ? (
        <section aria-labelledby="invites-heading" className="grid gap-3">
          <h2 id="invites-heading" className="text-base font-semibold">Open invites</h2>
          <Table>
            <THead>
              <TR>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>Invited by</TH>
                <TH>Expires</TH>
                <TH><span className="sr-only">Actions</span></TH>
              </TR>
            </THead>
            <TBody>
              {invites.map((i) => (
                <TR key={i.id}>
                  <TD>{i.email}</TD>
                  <TD>{roleLabel(i.role)}</TD>
                  <TD>{i.invitedBy?.email ?? 'system'}</TD>
                  <TD>{formatDateTime(i.expiresAt)}</TD>
                  <TD className="text-right"><RevokeInviteButton inviteId={i.id} email={i.email} /></TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </section>
      ) : null}
    </div>
  );
}
