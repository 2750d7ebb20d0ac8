import { z } from 'zod';
import { apiRoute, readJson } from '@/server/http/api';
import { startImport } from '@/server/services/datasets/start-import';

export const dynamic = 'force-dynamic';

const body = z.strictObject({
  dataset: z.string(),
  description: z.string().optional(),
  files: z.array(z.strictObject({ name: z.string(), bytes: z.number() })),
});

/**
 * Open an import: declare the files, then PUT each one to its upload URL, then POST
 * …/complete. Files stream to storage; nothing is visible as a version until it is ready.
 */
export const POST = apiRoute(async (req, ctx) => {
  const started = await startImport(ctx, await readJson(req, body));
  const base = `/api/v1/datasets/imports/${started.versionId}`;
  return Response.json(
    { ...started, uploadUrls: Object.fromEntries(started.files.map((f) => [f, `${base}/files/${encodeURIComponent(f)}`])), completeUrl: `${base}/complete`, statusUrl: `/api/v1/datasets/versions/${started.versionId}` },
    { status: 201 },
  );
});
