import type { NextAuthConfig } from 'next-auth';

/**
 * The part of the Auth.js configuration the proxy needs (no database access):
 * sessions are signed JWT cookies; pages require a session. Whether the user is
 * still active, and their current role, is checked against the database on every
 * server request (server/auth/session.ts), so deactivation takes effect at once.
 */
const PUBLIC_PATHS = ['/login', '/invite'];

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export const authConfig = {
  trustHost: true,
  pages: { signIn: '/login' },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 60 * 60 },
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      const path = request.nextUrl.pathname;
      if (PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return true;
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user) {
        const u = user as { id?: string; role?: string; sessionVersion?: number };
        token.uid = u.id;
        token.role = u.role;
        token.sv = u.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      const user = session.user as typeof session.user & { id?: string; role?: string; sessionVersion?: number };
      user.id = token.uid as string;
      user.role = token.role as string;
      user.sessionVersion = token.sv as number;
      return session;
    },
  },
  logger: {
    // A wrong password is an expected event, not a server error worth a stack trace.
    error(error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
    warn(code) {
      if (code !== 'debug-enabled') console.warn(`[auth] warning: ${code}`);
    },
  },
} satisfies NextAuthConfig;
