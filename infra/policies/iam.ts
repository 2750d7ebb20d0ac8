import { asList, parsePolicy, violation, type CapturedResource, type Policy, type Violation } from './types';

/**
 * IAM: no statement allows every action on every resource, wherever a policy
 * document appears (roles' inline and trust policies, managed policies, bucket,
 * key and topic policies), and nothing attaches AWS's administrator policies.
 * Broad resources are fine with named actions (e.g. ec2:Describe* on "*");
 * broad actions are fine on named resources (e.g. kms:* on one key's policy).
 */
const DOCUMENT_FIELDS = ['policy', 'assumeRolePolicy'];
const ADMIN_POLICIES = [/:policy\/AdministratorAccess$/, /:policy\/PowerUserAccess$/, /:policy\/IAMFullAccess$/];

type Statement = { Effect?: string; Action?: string | string[]; NotAction?: string | string[]; Resource?: string | string[]; NotResource?: string | string[] };

function documents(r: CapturedResource): unknown[] {
  const inline = asList(r.inputs.inlinePolicies as { policy?: unknown }[]).map((p) => p.policy);
  return [...DOCUMENT_FIELDS.map((f) => r.inputs[f]), ...inline].filter((d) => d !== undefined);
}

/** Allow + (Action "*" or any NotAction) + (Resource "*" or any NotResource): administrator rights in disguise. */
function isAdmin(s: Statement): boolean {
  if (s.Effect !== 'Allow') return false;
  const everyAction = asList(s.Action).some((a) => a === '*' || a === '*:*') || s.NotAction !== undefined;
  const everyResource = asList(s.Resource).includes('*') || s.NotResource !== undefined;
  return everyAction && everyResource;
}

export const noWildcardIam: Policy = {
  name: 'no-wildcard-iam',
  description: 'No policy statement allows Action "*" on Resource "*" (nor NotAction/NotResource equivalents), and no administrator managed policy is attached.',
  check: (resources) => {
    const found: Violation[] = [];
    for (const r of resources) {
      for (const doc of documents(r)) {
        const parsed = parsePolicy(doc);
        if (!parsed) continue;
        for (const s of asList(parsed.Statement as Statement | Statement[] | undefined)) {
          if (isAdmin(s)) found.push(violation(noWildcardIam.name, r, `statement ${JSON.stringify(s).slice(0, 160)} allows every action on every resource`));
        }
      }
      const attached = [r.inputs.policyArn, ...asList(r.inputs.managedPolicyArns as string[])].filter((a): a is string => typeof a === 'string');
      for (const policyArn of attached) if (ADMIN_POLICIES.some((p) => p.test(policyArn))) found.push(violation(noWildcardIam.name, r, `attaches ${policyArn}`));
    }
    return found;
  },
};
