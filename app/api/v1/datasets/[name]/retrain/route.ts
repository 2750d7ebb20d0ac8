import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { getRetrainSetting } from '@/server/services/retrain/read-retrain-setting';
import { updateRetrainSetting } from '@/server/services/retrain/update-retrain-setting';

export const dynamic = 'force-dynamic';

/** "Retrain when a new version arrives": on/off, the template, the candidate deployment and the last retrains with their outcome. */
export const GET = apiRoute<{ name: string }>(async (_req, ctx) => getRetrainSetting(ctx, decodeURIComponent(ctx.params.name)));

/** `{ enabled, fromRun?, fromDeployment?, candidateFor? }` (API key with `write`; engineers and admins). Answers the setting as GET does. */
export const PUT = apiRoute<{ name: string }>(async (req, ctx) => updateRetrainSetting(ctx, decodeURIComponent(ctx.params.name), await readJson(req, z.record(z.string(), z.unknown()))));
