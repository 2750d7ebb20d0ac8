import { PageHeader } from '@/components/ui/page-header';
import { TabsNav } from '@/components/ui/tabs-nav';

const TABS = [
  { href: '/settings/profile', label: 'Profile' },
  { href: '/settings/api-keys', label: 'API keys' },
  { href: '/settings/users', label: 'Users' },
];

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Your account, API keys for programs, and who has access." />
      <TabsNav items={TABS} label="Settings sections" className="mb-6" />
      {children}
    </>
  );
}
