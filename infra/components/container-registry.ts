import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { namedTags, PROJECT } from './common';

/**
 * The images, one repository each (Dockerfiles: docker/web.Dockerfile,
 * docker/worker.Dockerfile, inference/Dockerfile, trainer/Dockerfile).
 */
export type ImageName = 'web' | 'worker' | 'inference' | 'trainer';
export const IMAGE_NAMES: readonly ImageName[] = ['web', 'worker', 'inference', 'trainer'];

export type ContainerRegistryArgs = {
  stack: StackConfig;
  /** Tagged images kept per repository (older ones expire); untagged layers go after a week. */
  keepImages?: number;
};

/**
 * ECR repositories `pricesense/<stack>/<image>`: scanned on push, tags immutable
 * (a tag — the git SHA CI pushes — always names the same image, so a deployment
 * can be reproduced and rolled back), encrypted with KMS. Dev repositories are
 * deleted with their images on `pulumi destroy`; prod ones refuse while images remain.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
  readonly repositoryUrls: Record<ImageName, pulumi.Output<string>>;
  readonly repositoryArns: Record<ImageName, pulumi.Output<string>>;

  constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:ContainerRegistry', name, {}, opts);
    const { stack } = args;
    const keep = args.keepImages ?? 50;
    const urls: Partial<Record<ImageName, pulumi.Output<string>>> = {};
    const arns: Partial<Record<ImageName, pulumi.Output<string>>> = {};
    for (const image of IMAGE_NAMES) {
      const repo = new aws.ecr.Repository(`${PROJECT}-${stack.name}-${image}`, {
        name: `${PROJECT}/${stack.name}/${image}`,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS' }],
        forceDelete: !stack.protectData,
        tags: namedTags(stack, `ecr-${image}`),
      }, { parent: this });
      new aws.ecr.LifecyclePolicy(`${PROJECT}-${stack.name}-${image}-lifecycle`, {
        repository: repo.name,
        policy: JSON.stringify({
          rules: [
            { rulePriority: 1, description: 'Untagged layers after a week', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
            { rulePriority: 2, description: `Keep the newest ${keep} images`, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep }, action: { type: 'expire' } },
          ],
        }),
      }, { parent: this });
      urls[image] = repo.repositoryUrl;
      arns[image] = repo.arn;
    }
    this.repositoryUrls = urls as Record<ImageName, pulumi.Output<string>>;
    this.repositoryArns = arns as Record<ImageName, pulumi.Output<string>>;
    this.registerOutputs({ repositoryUrls: this.repositoryUrls });
  }
}
