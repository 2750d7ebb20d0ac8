'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';

/**
 * Re-render the page from the server every `seconds` while it is visible, so
 * instance states (waiting → serving after a deploy or rollback) follow without
 * a reload. Client state (the "try it" panel) survives a refresh.
 */
export function AutoRefresh({ seconds = 10 }: { seconds?: number }) {
  const router = useRouter();
  React.useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, seconds * 1000);
    return () => window.clearInterval(timer);
  }, [router, seconds]);
  return null;
}
