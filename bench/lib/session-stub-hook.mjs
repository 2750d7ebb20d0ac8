// A module resolution hook (node:module register) for bench/dashboard.ts's HTTP round:
// the route handlers' session lookup (server/auth/session.ts pulls in next-auth and
// Next's navigation, which do not load outside Next) resolves to a stub that finds no
// session — the bench sends an API key, as the route tests do with a mock.
const STUB = `data:text/javascript,${encodeURIComponent('export const getSessionActor = async () => null;')}`;

export async function resolve(specifier, context, next) {
  if (specifier === '@/server/auth/session') return { url: STUB, shortCircuit: true };
  return next(specifier, context);
}
