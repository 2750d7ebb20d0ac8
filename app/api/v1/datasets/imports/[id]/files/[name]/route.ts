import { AppError } from '@/server/errors';
import { apiRoute } from '@/server/http/api';
import { fromWebStream, receiveFile } from '@/server/services/datasets/receive-file';

export const dynamic = 'force-dynamic';

/** The file's bytes as the request body (any content type; streamed, never buffered). */
export const PUT = apiRoute<{ id: string; name: string }>(async (req, ctx) => {
  if (!req.body) throw new AppError('VALIDATION', 'Send the file as the request body.');
  return receiveFile(ctx, ctx.params.id, decodeURIComponent(ctx.params.name), fromWebStream(req.body));
});
