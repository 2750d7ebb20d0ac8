'use client';

import * as React from 'react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import {
  Activity,
  Boxes,
  CircleDollarSign,
  Database,
  FlaskConical,
  LayoutDashboard,
  Rocket,
  ScrollText,
  Settings,
  type LucideIcon,
} from 'lucide-react';
import { cn } from '@/lib/utils';

export type NavItem = { href: string; label: string; icon: LucideIcon };

export const NAV_GROUPS: ReadonlyArray<{ label?: string; items: NavItem[] }> = [
  { items: [{ href: '/', label: 'Overview', icon: LayoutDashboard }] },
  {
    label: 'Build',
    items: [
      { href: '/datasets', label: 'Datasets', icon: Database },
      { href: '/runs', label: 'Runs', icon: FlaskConical },
      { href: '/models', label: 'Models', icon: Boxes },
    ],
  },
  {
    label: 'Operate',
    items: [
      { href: '/deployments', label: 'Deployments', icon: Rocket },
      { href: '/monitoring', label: 'Monitoring', icon: Activity },
      { href: '/costs', label: 'Costs', icon: CircleDollarSign },
    ],
  },
  {
    label: 'Govern',
    items: [
      { href: '/audit', label: 'Audit', icon: ScrollText },
      { href: '/settings', label: 'Settings', icon: Settings },
    ],
  },
];

/** "/" matches only itself; every other section also owns its sub-pages. */
export function isNavActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function activeNavItem(pathname: string): NavItem | undefined {
  return NAV_GROUPS.flatMap((g) => g.items).find((item) => isNavActive(pathname, item.href));
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn('flex items-center gap-2.5', className)}>
      <svg viewBox="0 0 24 24" className="size-7 shrink-0" aria-hidden="true">
        <rect width="24" height="24" rx="6" className="fill-primary" />
        {/* A demand curve on a pair of axes: the product in one glyph. */}
        <path d="M6 5.5V18h12.5" fill="none" stroke="white" strokeOpacity="0.45" strokeWidth="1.5" strokeLinecap="round" />
        <path d="M8.5 6.5C9.5 12.5 12 15.5 18 15.5" fill="none" stroke="white" strokeWidth="2" strokeLinecap="round" />
        <circle cx="10.55" cy="12.25" r="2.2" fill="white" className="stroke-primary" strokeWidth="1.4" />
      </svg>
      <span className="text-[15px] font-semibold tracking-tight text-foreground">PriceSense</span>
    </span>
  );
}

export function SidebarNav({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname() ?? '/';
  const groupId = React.useId();
  return (
    <nav aria-label="Main" className="flex flex-col gap-5 px-3">
      {NAV_GROUPS.map((group, gi) => (
        <div key={group.label ?? gi} className="grid gap-1">
          {group.label ? (
            <p id={`${groupId}-${gi}`} className="px-2 pb-0.5 text-[11px] font-medium tracking-wider text-muted-foreground uppercase">
              {group.label}
            </p>
          ) : null}
          <ul className="grid gap-0.5" aria-labelledby={group.label ? `${groupId}-${gi}` : undefined}>
            {group.items.map(({ href, label, icon: Icon }) => {
              const isActive = isNavActive(pathname, href);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    onClick={onNavigate}
                    aria-current={isActive ? 'page' : undefined}
                    className={cn(
                      'flex h-9 items-center gap-2.5 rounded-md px-2 text-sm font-medium transition-colors md:h-8',
                      'focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
                      isActive
                        ? 'bg-card text-foreground shadow-xs ring-1 ring-border'
                        : 'text-muted-foreground hover:bg-muted hover:text-foreground',
                    )}
                  >
                    <Icon className={cn('size-4 shrink-0', isActive && 'text-primary')} aria-hidden="true" />
                    {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
