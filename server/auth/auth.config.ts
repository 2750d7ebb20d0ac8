import type { NextAuthConfig } from 'next-auth';

/**
 * The part of the Auth.js configuration the proxy needs (no database access):
 * sessions are signed JWT cookies; pages require a session. Whether the user is
 * still active, and their current role, is checked against the database on every
 * server request (server/auth/session.ts), so deactivation takes effect at once,
 * and so is whether this sign-in was signed out (a cleared cookie alone would not
 * stop a copy of it, or a request racing the sign-out that re-sets it).
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
        // One id per sign-in, kept across refreshes: sign-out ends it on the server.
        token.sid = crypto.randomUUID();
      }
      return token;
    },
    session({ session, token }) {
      const user = session.user as typeof session.user & { id?: string; role?: string; sessionId?: string; sessionVersion?: number };
      user.id = token.uid as string;
      user.role = token.role as string;
      user.sessionId = token.sid as string | undefined;
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
