import 'server-only';
import type { Db } from '@/server/db/client';

const HEARTBEAT_RETENTION_MS = 24 * 3600_000;

/** Periodic clean-up of rows that only matter for a while. Never touches the audit log. */
export async function runHousekeeping(db: Db, now = new Date()) {
  const [rateLimits, heartbeats] = await Promise.all([
    db.rateLimit.deleteMany({ where: { expire: { lt: now } } }),
    db.workerHeartbeat.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - HEARTBEAT_RETENTION_MS) } } }),
  ]);
  return { expiredRateLimits: rateLimits.count, staleHeartbeats: heartbeats.count };
}
