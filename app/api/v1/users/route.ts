import { apiRoute } from '@/server/http/api';
import { listUsers } from '@/server/services/users/list-users';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req, ctx) => ({ users: await listUsers(ctx) }));
