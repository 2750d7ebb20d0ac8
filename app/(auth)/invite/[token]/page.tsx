import type { Metadata } from 'next';
import Link from 'next/link';
import { roleLabel } from '@/components/shell/role-label';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { AppError } from '@/server/errors';
import { getRuntime } from '@/server/runtime';
import { describeInvite } from '@/server/services/users/invites';
import { AcceptInviteForm } from './accept-form';

export const metadata: Metadata = { title: 'Accept invite' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { db } = await getRuntime();
  const invite = await describeInvite({ db }, token).catch((error) => {
    if (error instanceof AppError) return { error: error.message };
    throw error;
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Join PriceSense</CardTitle>
        {'email' in invite ? <CardDescription>You were invited as {roleLabel(invite.role)}.</CardDescription> : null}
      </CardHeader>
      <CardContent>
        {'email' in invite ? (
          <AcceptInviteForm token={token} email={invite.email} />
        ) : (
          <div className="grid gap-4">
            <Callout variant="warning">{invite.error}</Callout>
            <Link href="/login" className="text-sm text-accent hover:underline">
              Go to sign in
            </Link>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
