import { ALGORITHMS, DEFAULT_ALGORITHM, estimatorSpec } from '@/ml/estimators';
import { apiRoute } from '@/server/http/api';
import { assertCan } from '@/server/services/context';

export const dynamic = 'force-dynamic';

/** Each algorithm's parameter schema (name, type, default, range, help): what launch forms are generated from. */
export const GET = apiRoute(async (_req, ctx) => {
  assertCan(ctx, 'read');
  return {
    default: DEFAULT_ALGORITHM,
    algorithms: ALGORITHMS.map((a) => {
      const spec = estimatorSpec(a);
      return { algorithm: a, label: spec.label, summary: spec.summary, params: spec.params };
    }),
  };
});
