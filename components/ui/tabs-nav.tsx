'use client';

import * as React from 'react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export type TabsNavItem = { href: string; label: string; count?: number };

/** The item whose href is the longest match wins, so an "Overview" tab at /runs/1 is not active on /runs/1/logs. */
export function activeTabHref(pathname: string, items: TabsNavItem[]): string | undefined {
  const matches = items
    .map((item) => item.href.split(/[?#]/)[0] ?? item.href)
    .filter((path) => pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`));
  return matches.sort((a, b) => b.length - a.length)[0];
}

export function TabsNav({ items, label = 'Sections', className }: { items: TabsNavItem[]; label?: string; className?: string }) {
  const pathname = usePathname() ?? '';
  const active = activeTabHref(pathname, items);
  return (
    <nav aria-label={label} className={cn('-mx-4 mb-6 overflow-x-auto border-b border-border px-4 sm:mx-0 sm:px-0', className)}>
      <ul className="flex min-w-max gap-1">
        {items.map((item) => {
          const isActive = (item.href.split(/[?#]/)[0] ?? item.href) === active;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={isActive ? 'page' : undefined}
                className={cn(
                  'relative -mb-px flex h-10 items-center gap-2 border-b-2 px-3 text-sm font-medium transition-colors',
                  'rounded-t-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none focus-visible:ring-inset',
                  isActive
                    ? 'border-primary text-foreground'
                    : 'border-transparent text-muted-foreground hover:border-input hover:text-foreground',
                )}
              >
                {item.label}
                {item.count !== undefined ? (
                  <span className="rounded-full bg-muted px-1.5 py-px text-xs text-muted-foreground tabular-nums">
                    {item.count}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
