import 'server-only';
import { AppError, notFound, parseInput } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import { sampleBaskets } from './sample-baskets';
import { deploymentName, sampleBasketsInput } from './schemas';

/**
 * Labelled baskets from the dataset version the deployed model was trained on, as
 * the prediction API takes them: for the "try it" panel and for a pipeline's smoke
 * check right after a deploy. The same seed gives the same baskets.
 */
export async function sampleDeploymentBaskets(ctx: ServiceContext, name: string, input: unknown = {}) {
  assertCan(ctx, 'read');
  const deployment = parseInput(deploymentName, name);
  const { count, seed } = parseInput(sampleBasketsInput, input);
  const dep = await ctx.db.deployment.findUnique({
    where: { name: deployment },
    select: { currentModelVersion: { select: { id: true, modelName: true, version: true, datasetVersion: { select: { id: true, datasetId: true, version: true, dataset: { select: { name: true } } } } } } },
  });
  const model = dep?.currentModelVersion;
  if (!model) throw notFound(`A model deployed to "${deployment}"`);
  const version = model.datasetVersion;
  const baskets = await sampleBaskets(ctx, version, { count, seed });
  if (!baskets.length) throw new AppError('CONFLICT', `${version.dataset.name} v${version.version} has no labelled baskets to sample.`);
  return { deployment, model: { id: model.id, name: model.modelName, version: model.version }, dataset: `${version.dataset.name} v${version.version}`, baskets };
}
