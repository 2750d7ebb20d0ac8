import { apiRoute } from '@/server/http/api';
import { browseRows } from '@/server/services/datasets/browse-rows';

export const dynamic = 'force-dynamic';

/** ?weekFrom=&weekTo=&region=&basketType=&label=&basketId=&after=<ROW_ID>|before=<ROW_ID>|last=1 */
export const GET = apiRoute<{ id: string }>(async (req, ctx) => browseRows(ctx, ctx.params.id, Object.fromEntries(req.nextUrl.searchParams)));
