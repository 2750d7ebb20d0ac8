import { ofType, violation, type Policy } from './types';

export const ecrScanOnPushImmutable: Policy = {
  name: 'ecr-scan-on-push-immutable',
  description: 'Every ECR repository scans images on push and has immutable tags.',
  check: (resources) => ofType(resources, 'aws:ecr/repository:Repository').flatMap((r) => {
    const found = [];
    if ((r.inputs.imageScanningConfiguration as { scanOnPush?: boolean } | undefined)?.scanOnPush !== true) found.push(violation(ecrScanOnPushImmutable.name, r, 'images are not scanned on push'));
    if (r.inputs.imageTagMutability !== 'IMMUTABLE') found.push(violation(ecrScanOnPushImmutable.name, r, `tags are ${String(r.inputs.imageTagMutability ?? 'MUTABLE')}, not IMMUTABLE`));
    return found;
  }),
};
