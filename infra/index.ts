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
const outputs = createPlatform(stack, parseInstallation((key) => config.get(key), stack));

export const {
  stackConfig, region, ecrRepositoryUrls, webRepositoryUrl, workerRepositoryUrl, inferenceRepositoryUrl, trainerRepositoryUrl,
  clusterName, kubeconfig, appNamespace, bucketNames, artifactsBucketName, databaseSecretArn, appSecretArn, appSecretName,
  sagemakerExecutionRoleArn, alarmTopicArn, deployRoleArn, githubOidcProviderArn, albHostname, webUrl, apiUrl, imageTag, renderValues,
} = outputs;
