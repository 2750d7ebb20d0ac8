import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { AppError } from '@/server/errors';
import { getRuntime } from '@/server/runtime';
import { signInWithPassword } from '@/server/services/auth/sign-in';
import { authConfig } from './auth.config';
import { clientIp } from './client-ip';

/** Carries our reason to the login form: `code` is "<ERROR_CODE>" or "RATE_LIMITED:<seconds>". */
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const runtime = await getRuntime();
        try {
          const user = await signInWithPassword(
            { db: runtime.db, limiter: runtime.loginLimiter, limits: { maxAttempts: runtime.env.LOGIN_MAX_ATTEMPTS, lockoutSeconds: runtime.env.LOGIN_LOCKOUT_SECONDS } },
            { email: credentials?.email, password: credentials?.password, ip: clientIp(request.headers) },
          );
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        } catch (error) {
          if (error instanceof AppError) {
            throw new SignInRefused(error.code === 'RATE_LIMITED' ? `RATE_LIMITED:${error.details?.retryAfterSeconds ?? 60}` : error.code);
          }
          throw error;
        }
      },
    }),
  ],
});
