'use client';

import * as React from 'react';
import { usePathname } from 'next/navigation';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import { Eye, Menu, X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DialogOverlay } from '@/components/ui/dialog';
import { Tooltip } from '@/components/ui/tooltip';
import { Logo, SidebarNav, activeNavItem } from './nav-links';
import { UserMenu, type ShellUser } from './user-menu';

export type AppShellProps = {
  user: ShellUser;
  signOutAction: () => Promise<void>;
  children: React.ReactNode;
};

function MobileNav() {
  const [open, setOpen] = React.useState(false);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger asChild>
        <Button variant="ghost" size="icon" className="-ml-2 md:hidden" aria-label="Open navigation">
          <Menu aria-hidden="true" />
        </Button>
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogOverlay className="md:hidden" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col gap-4 border-r border-border bg-subtle pb-6 shadow-xl outline-none data-[state=closed]:animate-fade-out data-[state=open]:animate-slide-in-left md:hidden"
        >
          <DialogPrimitive.Title className="sr-only">Navigation</DialogPrimitive.Title>
          <div className="flex h-14 items-center justify-between border-b border-border px-5">
            <Logo />
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon" className="-mr-2" aria-label="Close navigation">
                <X aria-hidden="true" />
              </Button>
            </DialogPrimitive.Close>
          </div>
          <div className="overflow-y-auto">
            <SidebarNav onNavigate={() => setOpen(false)} />
          </div>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

export function AppShell({ user, signOutAction, children }: AppShellProps) {
  const pathname = usePathname() ?? '/';
  const section = activeNavItem(pathname);
  const SectionIcon = section?.icon;

  return (
    <div className="min-h-dvh bg-background md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only rounded-md bg-primary px-3 py-2 text-sm font-medium text-primary-foreground focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-[100]"
      >
        Skip to content
      </a>

      {/* The column carries background and border for the full page height; the inner block sticks. */}
      <aside className="hidden border-r border-border bg-subtle md:block">
        <div className="sticky top-0 flex h-dvh flex-col">
          <div className="flex h-14 shrink-0 items-center px-5">
            <Logo />
          </div>
          <div className="flex-1 overflow-y-auto pt-3 pb-6">
            <SidebarNav />
          </div>
        </div>
      </aside>

      <div className="flex min-h-dvh min-w-0 flex-col">
        <header className="sticky top-0 z-20 flex h-14 shrink-0 items-center gap-3 border-b border-border bg-background/85 px-4 backdrop-blur supports-backdrop-filter:bg-background/70 sm:px-6">
          <MobileNav />
          <Logo className="md:hidden" />
          {section && SectionIcon ? (
            <p className="hidden items-center gap-2 text-sm font-medium text-muted-foreground md:flex">
              <SectionIcon className="size-4" aria-hidden="true" />
              {section.label}
            </p>
          ) : null}
          <div className="ml-auto flex items-center gap-2">
            {user.role === 'viewer' ? (
              <Tooltip content="Viewers can browse everything but cannot change anything." side="bottom">
                <Badge variant="warning" tabIndex={0} className="cursor-default">
                  <Eye aria-hidden="true" />
                  Read-only
                </Badge>
              </Tooltip>
            ) : null}
            <UserMenu user={user} signOutAction={signOutAction} />
          </div>
        </header>

        <main id="main" tabIndex={-1} className="mx-auto w-full min-w-0 max-w-7xl flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
