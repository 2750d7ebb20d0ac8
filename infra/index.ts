import * as pulumi from '@pulumi/pulumi';
import { InstallationError, parseInstallation, stackConfigFor } from './installation';
import { createPlatform } from './platform';

/**
 * `pulumi up` entry point. The stack name picks the StackConfig in
 * lib/infra-config.ts (the same object the Costs page's estimate prices);
 * Pulumi.<stack>.yaml holds only what differs per installation (see
 * installation.ts and infra/README.md).
 */
const stack = stackConfigFor(pulumi.getStack());
const awsRegion = new pulumi.Config('aws').get('region');
if (awsRegion !== stack.region) {
  throw new InstallationError([`aws:region must be ${stack.region}, the region of StackConfig ${stack.name} in lib/infra-config.ts (got ${awsRegion ?? 'nothing'}): pulumi config set aws:region ${stack.region}`]);
}
const config = new pulumi.Config('pricesense');
const installation = parseInstallation((key) => config.get(key), stack);

// CI sets pricesense:imageTag for its own run only. An operator's `pulumi up`
// without it keeps the tag the stack last deployed (its own `imageTag` output)
// instead of removing the workloads; a stack that never had one stays
// infrastructure-only.
if (!installation.imageTag) {
  const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
  const previous = (await self.getOutputDetails('imageTag')).value;
  if (typeof previous === 'string' && previous) {
    installation.imageTag = previous;
    await pulumi.log.info(`pricesense:imageTag is not set: keeping the running images (${previous})`);
  } else {
    await pulumi.log.info('pricesense:imageTag is not set and nothing runs yet: infrastructure only (push images, then set it)');
  }
}

const outputs = createPlatform(stack, installation);

export const {
  stackConfig, region, ecrRepositoryUrls, webRepositoryUrl, workerRepositoryUrl, inferenceRepositoryUrl, trainerRepositoryUrl,
  clusterName, kubeconfig, appNamespace, bucketNames, artifactsBucketName, databaseSecretArn, appSecretArn, appSecretName,
  sagemakerExecutionRoleArn, alarmTopicArn, deployRoleArn, githubOidcProviderArn, albHostname, webUrl, apiUrl, imageTag, renderValues,
} = outputs;
