import 'server-only';

/** The client address as seen by the first proxy (Next's server or the load balancer sets x-forwarded-for). */
export function clientIp(headers: Headers): string | undefined {
  const forwarded = headers.get('x-forwarded-for');
  if (forwarded) return forwarded.split(',')[0]?.trim() || undefined;
  return headers.get('x-real-ip') ?? undefined;
}
