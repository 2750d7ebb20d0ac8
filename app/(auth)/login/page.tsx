import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getSessionActor } from '@/server/auth/session';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES: Record<string, string> = {
  'password-changed': 'Your password was changed. Sign in with the new one.',
  'signed-out': 'Your session has ended. Sign in again.',
  joined: 'Your account is ready. Sign in with the password you chose.',
};

/** Keep only the path of the page the user wanted (never another site). */
function localPath(value: string | undefined): string {
  if (!value) return '/';
  try {
    const url = new URL(value, 'http://local');
    return url.pathname.startsWith('/login') ? '/' : `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  if (await getSessionActor()) redirect('/');
  const callbackUrl = localPath(params.callbackUrl);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in to PriceSense</CardTitle>
        <CardDescription>Use the account an administrator created or invited you to.</CardDescription>
      </CardHeader>
      <CardContent>
        <LoginForm callbackUrl={callbackUrl} notice={params.reason ? NOTICES[params.reason] : undefined} />
      </CardContent>
    </Card>
  );
}
