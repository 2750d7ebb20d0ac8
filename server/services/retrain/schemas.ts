import 'server-only';
import { z } from 'zod';
import { deploymentName } from '../deployments/schemas';

/**
 * PUT /api/v1/datasets/{name}/retrain, the dataset page and `mlops data retrain`.
 * Turning it on takes the template from a run (`fromRun`: id, number or "#12") or
 * from the model serving a deployment (`fromDeployment`); with neither, the stored
 * template is used again. `candidateFor` names the deployment the retrained model
 * may replace (null clears it; by default the `fromDeployment`).
 */
export const retrainSettingInput = z.strictObject({
  enabled: z.boolean('must be true or false'),
  fromRun: z.string().trim().min(1, 'is empty').max(60, 'must be at most 60 characters').optional(),
  fromDeployment: deploymentName.optional(),
  candidateFor: deploymentName.nullable().optional(),
});
export type RetrainSettingInput = z.input<typeof retrainSettingInput>;
