import NextAuth from 'next-auth';
import { authConfig } from '@/server/auth/auth.config';

// Pages need a session; API routes authenticate themselves (API keys or session)
// and answer 401 in JSON rather than redirecting.
const { auth } = NextAuth(authConfig);
export const proxy = auth;

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
