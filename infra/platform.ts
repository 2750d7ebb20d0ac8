import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../lib/infra-config';
import { Alarms } from './components/alarms';
import { AppSecrets } from './components/app-secrets';
import { CiAccess } from './components/ci-access';
import { Cluster, clusterName } from './components/cluster';
import { ClusterAddons } from './components/cluster-addons';
import type { AwsContext } from './components/common';
import { ContainerRegistry } from './components/container-registry';
import { DataLake } from './components/data-lake';
import { Database } from './components/database';
import { Network } from './components/network';
import { Observability } from './components/observability';
import { WorkloadRoles } from './components/workload-roles';
import { Workloads } from './components/workloads';
import type { Installation } from './installation';
import { albName } from './manifests/app-manifests';
import type { ManifestValues } from './manifests/app-env';
import { APP_NAMESPACE } from './manifests/names';

/**
 * One stack: StackConfig (the shape, shared with the cost estimate) plus the
 * installation's settings, composed from one component per concern. Returns the
 * stack outputs (index.ts exports them).
 */
export function createPlatform(stack: StackConfig, installation: Installation) {
  const ctx: AwsContext = {
    accountId: aws.getCallerIdentityOutput().accountId,
    partition: aws.getPartitionOutput().partition,
    region: stack.region,
  };
  const eksName = clusterName(stack);

  const network = new Network('network', { stack, clusterName: eksName });
  const lake = new DataLake('data-lake', { stack, aws: ctx });
  const registry = new ContainerRegistry('registry', { stack });
  const observability = new Observability('observability', {
    stack, aws: ctx, alertEmail: installation.alertEmail, budgetUsd: installation.budgetUsd, createTrail: installation.createTrail,
  });
  const cluster = new Cluster('cluster', {
    stack, aws: ctx, privateSubnetIds: network.privateSubnetIds, kmsKeyArn: lake.keyArn, publicAccessCidrs: installation.clusterEndpointCidrs,
  });
  const oidc = { oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer };
  const roles = new WorkloadRoles('workload-roles', {
    stack, aws: ctx, ...oidc, kmsKeyArn: lake.keyArn, trainerRepositoryArn: registry.repositoryArns.trainer,
    buckets: { raw: lake.buckets.raw.arn, curated: lake.buckets.curated.arn, artifacts: lake.buckets.artifacts.arn },
  });
  const addons = new ClusterAddons('cluster-addons', {
    stack, aws: ctx, ...oidc, clusterName: cluster.name, vpcId: network.vpcId, provider: cluster.provider,
    containerLogGroupName: observability.containerLogGroupName, appNamespace: APP_NAMESPACE, dependsOn: cluster.ready,
  });
  const database = new Database('database', {
    stack, vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds, clientSecurityGroupId: cluster.clusterSecurityGroupId, kmsKeyArn: lake.keyArn,
  });
  const secrets = new AppSecrets('app-secrets', { stack, databaseUrl: database.url, kmsKeyArn: lake.keyArn });

  const image = (name: 'web' | 'worker' | 'inference' | 'trainer', tag: string) => pulumi.interpolate`${registry.repositoryUrls[name]}:${tag}`;
  const values = (tag: string): ManifestValues => ({
    stack,
    images: { web: image('web', tag), worker: image('worker', tag), inference: image('inference', tag), trainer: image('trainer', tag) },
    roles: { controlPlane: roles.controlPlaneRoleArn, inference: roles.inferenceRoleArn, sagemakerExecution: roles.sagemakerExecutionRoleArn },
    artifactsBucket: lake.buckets.artifacts.name,
    domain: installation.domain,
    apiDomain: installation.apiDomain,
    certificateArn: installation.certificateArn,
    albSecurityGroupId: network.albSecurityGroupId,
    adminEmail: installation.adminEmail,
    alarmTopicArn: observability.alarmTopicArn,
    version: tag,
  });

  // Until CI has pushed images there is nothing to run: the first `pulumi up` builds the infrastructure only.
  let loadBalancer: pulumi.Output<aws.lb.GetLoadBalancerResult> | undefined;
  if (installation.imageTag) {
    const workloads = new Workloads('workloads', {
      values: values(installation.imageTag), secrets: secrets.values, provider: cluster.provider, dependsOn: [addons.lbController, ...cluster.ready],
    });
    // The controller names the ALB after the Ingress annotation; look it up once the Ingress has an address.
    loadBalancer = aws.lb.getLoadBalancerOutput({ name: albName(stack) }, { dependsOn: [workloads.ingress] });
  }
  new Alarms('alarms', {
    stack, alarmTopicArn: observability.alarmTopicArn, nodeGroupAsgName: cluster.nodeGroupAsgName, dbIdentifier: database.identifier,
    loadBalancerArnSuffix: loadBalancer?.arnSuffix,
  });

  const ci = installation.githubRepo
    ? new CiAccess('ci-access', {
        stack, aws: ctx, githubRepo: installation.githubRepo, githubBranch: installation.githubBranch, existingOidcProviderArn: installation.githubOidcProviderArn,
        repositoryArns: Object.values(registry.repositoryArns), clusterName: cluster.name, clusterArn: cluster.arn,
        stateBucket: installation.pulumiStateBucket, stateKmsKeyArn: installation.pulumiSecretsKeyArn, clusterAdmin: installation.ciClusterAdmin,
      })
    : undefined;

  // What `infra:render --values` needs to write the same manifests for kubectl (no secrets in it).
  const renderValues = pulumi.output({
    images: { web: registry.repositoryUrls.web, worker: registry.repositoryUrls.worker, inference: registry.repositoryUrls.inference, trainer: registry.repositoryUrls.trainer },
    roles: { controlPlane: roles.controlPlaneRoleArn, inference: roles.inferenceRoleArn, sagemakerExecution: roles.sagemakerExecutionRoleArn },
    artifactsBucket: lake.buckets.artifacts.name,
    domain: installation.domain,
    apiDomain: installation.apiDomain,
    certificateArn: installation.certificateArn,
    albSecurityGroupId: network.albSecurityGroupId,
    adminEmail: installation.adminEmail,
    alarmTopicArn: observability.alarmTopicArn,
  });

  return {
    stackConfig: stack.name,
    region: stack.region,
    ecrRepositoryUrls: registry.repositoryUrls,
    webRepositoryUrl: registry.repositoryUrls.web,
    workerRepositoryUrl: registry.repositoryUrls.worker,
    inferenceRepositoryUrl: registry.repositoryUrls.inference,
    trainerRepositoryUrl: registry.repositoryUrls.trainer,
    clusterName: cluster.name,
    kubeconfig: cluster.kubeconfig,
    appNamespace: APP_NAMESPACE,
    bucketNames: { raw: lake.buckets.raw.name, curated: lake.buckets.curated.name, artifacts: lake.buckets.artifacts.name },
    artifactsBucketName: lake.buckets.artifacts.name,
    databaseSecretArn: database.secretArn,
    appSecretArn: secrets.secretArn,
    appSecretName: secrets.secretName,
    sagemakerExecutionRoleArn: roles.sagemakerExecutionRoleArn,
    alarmTopicArn: observability.alarmTopicArn,
    deployRoleArn: ci?.deployRoleArn,
    githubOidcProviderArn: ci?.oidcProviderArn,
    albHostname: loadBalancer?.dnsName,
    webUrl: `https://${installation.domain}`,
    apiUrl: `https://${installation.apiDomain}`,
    imageTag: installation.imageTag,
    renderValues,
  };
}
