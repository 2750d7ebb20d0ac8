'use client';

import * as React from 'react';
import Link from 'next/link';
import { ChevronsUpDown, LogOut, Settings } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { roleLabel, type Role } from './role-label';

export type ShellUser = { name: string; email: string; role: Role };

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : [parts[0]];
  return letters.map((p) => p?.[0] ?? '').join('').toUpperCase() || '?';
}

export function UserMenu({ user, signOutAction }: { user: ShellUser; signOutAction: () => Promise<void> }) {
  const formRef = React.useRef<HTMLFormElement>(null);
  return (
    <>
      {/*
        The form lives outside the menu: the menu unmounts as soon as an item is selected,
        and a submit button removed mid-click never submits.
      */}
      <form ref={formRef} action={signOutAction} className="hidden" aria-hidden="true" />
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={`Account: ${user.name}`}
          className="flex h-9 items-center gap-2 rounded-lg pr-2 pl-1 text-sm transition-colors outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-muted"
        >
          <span
            className="flex size-7 items-center justify-center rounded-full bg-primary-soft text-xs font-semibold text-primary-soft-foreground ring-1 ring-primary-border"
            aria-hidden="true"
          >
            {initials(user.name)}
          </span>
          <span className="hidden max-w-40 truncate font-medium sm:block">{user.name}</span>
          <ChevronsUpDown className="size-3.5 text-muted-foreground" aria-hidden="true" />
        </DropdownMenuTrigger>
        <DropdownMenuContent className="w-64">
          <div className="grid gap-1 px-2 pt-1.5 pb-2">
            <p className="truncate text-sm font-medium">{user.name}</p>
            <p className="truncate text-xs text-muted-foreground">{user.email}</p>
            <Badge variant={user.role === 'admin' ? 'accent' : 'neutral'} className="mt-1">
              {roleLabel(user.role)}
            </Badge>
          </div>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <Link href="/settings">
              <Settings aria-hidden="true" />
              Settings
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => formRef.current?.requestSubmit()}>
            <LogOut aria-hidden="true" />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
