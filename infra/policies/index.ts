import { COST_TAG, type StackConfig } from '../../lib/infra-config';
import { bucketsBlockPublicAccess, bucketsEncryptedWithKms, bucketsRequireTls, bucketsVersionedWithLifecycle } from './buckets';
import { rdsEncryptedPrivateBackedUp } from './database';
import { noWildcardIam } from './iam';
import { workloadsHardened, workloadsScaledAndBudgeted } from './kubernetes';
import { noOpenIngress } from './network';
import { ecrScanOnPushImmutable } from './registry';
import { requiredTags } from './tags';
import type { CapturedResource, Policy, Violation } from './types';

/** Every policy the stacks must pass; the tag policy needs the stack (its tags) and a taggability test. */
export function stackPolicies(stack: StackConfig, isTaggable: (type: string) => boolean): Policy[] {
  return [
    bucketsEncryptedWithKms, bucketsBlockPublicAccess, bucketsRequireTls, bucketsVersionedWithLifecycle,
    ecrScanOnPushImmutable, noOpenIngress, noWildcardIam, rdsEncryptedPrivateBackedUp,
    workloadsHardened, workloadsScaledAndBudgeted,
    requiredTags({ ...stack.tags, [COST_TAG.key]: COST_TAG.value }, isTaggable),
  ];
}

export function runPolicies(policies: readonly Policy[], resources: readonly CapturedResource[]): Violation[] {
  return policies.flatMap((p) => p.check(resources));
}
