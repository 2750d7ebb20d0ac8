import { AppShell } from '@/components/shell/app-shell';
import { requireSessionActor } from '@/server/auth/session';
import { signOutAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSessionActor();
  return (
    <AppShell user={{ name: actor.name, email: actor.email, role: actor.role }} signOutAction={signOutAction}>
      {children}
    </AppShell>
  );
}
