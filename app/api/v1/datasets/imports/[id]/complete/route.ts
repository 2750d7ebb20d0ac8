import { apiRoute } from '@/server/http/api';
import { completeUpload } from '@/server/services/datasets/complete-upload';

export const dynamic = 'force-dynamic';

/** All files are uploaded: recognise known content, or queue validation and processing (poll statusUrl). */
export const POST = apiRoute<{ id: string }>(async (_req, ctx) => {
  const result = await completeUpload(ctx, ctx.params.id, { processing: 'queue' });
  return Response.json(
    result.duplicateOf
      ? { duplicate: true, version: { id: result.duplicateOf.id, version: result.duplicateOf.version, status: result.duplicateOf.status } }
      : { duplicate: false, version: { id: result.version!.id, status: result.version!.status } },
    { status: result.duplicateOf ? 200 : 202 },
  );
});
