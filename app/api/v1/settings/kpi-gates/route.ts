import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { getGateThresholds, updateGateThresholds } from '@/server/services/models/kpi-gate-settings';

export const dynamic = 'force-dynamic';

/** The KPI gate thresholds in force, and the defaults. */
export const GET = apiRoute(async (_req, ctx) => getGateThresholds(ctx));

/** Admins: { accuracy?, macroF1?, minClassPrecision? } (0..1) for future registrations. */
export const PUT = apiRoute(async (req, ctx) => updateGateThresholds(ctx, await readJson(req, z.record(z.string(), z.unknown()))));
