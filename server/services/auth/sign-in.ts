import 'server-only';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { burnPasswordCheck, verifyPassword } from '@/server/auth/password';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';

export type LoginLimits = { maxAttempts: number; lockoutSeconds: number };

const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/**
 * Login throttling: per email (stops guessing one account) and per client address
 * (stops spraying many accounts), stored in Postgres so every web replica shares it.
 */
export function createLoginLimiter(db: Db, limits: LoginLimits) {
  const byEmail = new RateLimiterPrisma({
    storeClient: db, tableName: 'rateLimit', keyPrefix: 'login-email', points: limits.maxAttempts, duration: limits.lockoutSeconds, clearExpiredByTimeout: false,
  });
  const byIp = new RateLimiterPrisma({
    storeClient: db, tableName: 'rateLimit', keyPrefix: 'login-ip', points: limits.maxAttempts * 10, duration: limits.lockoutSeconds, clearExpiredByTimeout: false,
  });
  return { byEmail, byIp };
}
export type LoginLimiter = ReturnType<typeof createLoginLimiter>;

function rateLimited(res: RateLimiterRes): AppError {
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new AppError('RATE_LIMITED', `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`, { retryAfterSeconds: seconds });
}

async function isBlocked(limiter: RateLimiterPrisma, key: string, max: number) {
  const res = await limiter.get(key);
  return res && res.consumedPoints >= max ? res : null;
}

/**
 * Check an email and password. Unknown email and wrong password give the same
 * message (and take the same time), so the form does not reveal who has an account.
 */
export async function signInWithPassword(
  deps: { db: Db; limiter: LoginLimiter; limits: LoginLimits },
  input: { email: unknown; password: unknown; ip?: string },
) {
  const parsed = credentialsInput.safeParse(input);
  if (!parsed.success) throw new AppError('UNAUTHENTICATED', 'Enter your email and password.');
  const { email, password } = parsed.data;
  const ip = input.ip;

  // Without a known client address only the per-email limit applies: a shared
  // "unknown" bucket would let one attacker lock everybody out.
  const blocked =
    (await isBlocked(deps.limiter.byEmail, email, deps.limits.maxAttempts)) ??
    (ip ? await isBlocked(deps.limiter.byIp, ip, deps.limits.maxAttempts * 10) : null);
  if (blocked) throw rateLimited(blocked);

  const user = await deps.db.user.findUnique({ where: { email } });
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password);
  if (!user || !ok) {
    await Promise.all([deps.limiter.byEmail.penalty(email, 1), ip ? deps.limiter.byIp.penalty(ip, 1) : null]);
    throw new AppError('UNAUTHENTICATED', 'Wrong email or password.');
  }
  if (!user.isActive) throw new AppError('FORBIDDEN', 'This account is deactivated. Ask an administrator to reactivate it.');

  await deps.limiter.byEmail.delete(email);
  await deps.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, { actor: { kind: 'user', userId: user.id, email: user.email, name: user.name, role: user.role }, ip }, {
      action: 'auth.sign_in', entityType: 'user', entityId: user.id, summary: `${user.email} signed in`,
    });
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
