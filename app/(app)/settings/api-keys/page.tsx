import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { KeyRound } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { listApiKeys } from '@/server/services/api-keys/list-api-keys';
import { CreateKeyForm } from './create-key-form';
import { RevokeKeyButton } from './revoke-button';

export const metadata: Metadata = { title: 'API keys' };

function status(key: { revokedAt: Date | null; expiresAt: Date | null }) {
  if (key.revokedAt) return <Badge variant="neutral">Revoked</Badge>;
  if (key.expiresAt && key.expiresAt < new Date()) return <Badge variant="warning">Expired</Badge>;
  return <Badge variant="success" dot>Active</Badge>;
}

export default async function ApiKeysPage() {
  const ctx = await pageContext();
  const role = ctx.actor.kind === 'user' ? ctx.actor.role : 'viewer';
  const canCreate = roleCan(role, 'keys:create');
  const showOwner = roleCan(role, 'keys:manage-all');
  const keys = await listApiKeys(ctx, { includeRevoked: true });
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? 'localhost:3000'}`;
  return (
    <div className="grid gap-6">
      {canCreate ? (
        <Card>
          <CardHeader>
            <CardTitle>Create an API key</CardTitle>
            <CardDescription>For scripts, CI pipelines and programs calling the prediction API. Send it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.</CardDescription>
          </CardHeader>
          <CardContent>
            <CreateKeyForm origin={origin} />
          </CardContent>
        </Card>
      ) : null}
      <section aria-labelledby="keys-heading" className="grid gap-3">
        <h2 id="keys-heading" className="text-base font-semibold">{showOwner ? 'All API keys' : 'Your API keys'}</h2>
        {keys.length === 0 ? (
          <EmptyState icon={<KeyRound />} title="No API keys" description={canCreate ? 'Create one above to call the platform from a script.' : 'Only admins and ML engineers own API keys. Your role can use the web app only.'} />
        ) : (
          <Table>
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Key</TH>
                <TH>Scopes</TH>
                {showOwner ? <TH>Owner</TH> : null}
                <TH>Created</TH>
                <TH>Last used</TH>
                <TH>Expires</TH>
                <TH>Status</TH>
                <TH><span className="sr-only">Actions</span></TH>
              </TR>
            </THead>
            <TBody>
              {keys.map((k) => (
                <TR key={k.id}>
                  <TD className="font-medium">{k.name}</TD>
                  <TD className="font-mono text-xs text-muted-foreground">{k.prefix}…</TD>
                  <TD>
                    <div className="flex gap-1">{k.scopes.map((s) => <Badge key={s} variant="outline" className="font-mono">{s}</Badge>)}</div>
                  </TD>
                  {showOwner ? <TD>{k.owner.email}</TD> : null}
                  <TD className="whitespace-nowrap">{formatDateTime(k.createdAt)}</TD>
                  <TD className="whitespace-nowrap">{k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'never'}</TD>
                  <TD className="whitespace-nowrap">{k.expiresAt ? formatDateTime(k.expiresAt) : 'never'}</TD>
                  <TD>{status(k)}</TD>
                  <TD className="text-right">{canCreate && !k.revokedAt ? <RevokeKeyButton keyId={k.id} name={k.name} /> : null}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </section>
    </div>
  );
}
