import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { getBudget, setBudget } from '@/server/services/costs/budget';

export const dynamic = 'force-dynamic';

/** The monthly cost budget in force and the default: { monthly_usd, default_usd, is_default, updated_at }. */
export const GET = apiRoute(async (_req, ctx) => getBudget(ctx));

/** Admins: { monthly_usd } (USD, above 0). API keys never change settings: use the web app or the CLI. */
export const PUT = apiRoute(async (req, ctx) => setBudget(ctx, await readJson(req, z.record(z.string(), z.unknown()))));
