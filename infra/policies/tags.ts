import { violation, type CapturedResource, type Policy } from './types';

/**
 * Every AWS resource that can carry tags carries the stack's tags (the cost tag
 * among them): Cost Explorer and the budget only see tagged spend. Whether a type
 * is taggable is a question for `isTaggable` (taggable.ts answers it from the
 * AWS provider's own type definitions, so a new resource type is covered without
 * anyone keeping a list).
 */
export function requiredTags(required: Record<string, string>, isTaggable: (type: string) => boolean): Policy {
  const policy: Policy = {
    name: 'required-tags',
    description: `Every taggable AWS resource carries ${Object.entries(required).map(([k, v]) => `${k}=${v}`).join(', ')}.`,
    check: (resources: readonly CapturedResource[]) => resources
      .filter((r) => r.custom && r.type.startsWith('aws:') && isTaggable(r.type))
      .flatMap((r) => {
        const tags = (r.inputs.tags ?? {}) as Record<string, unknown>;
        const missing = Object.entries(required).filter(([k, v]) => tags[k] !== v).map(([k, v]) => `${k}=${v}`);
        return missing.length ? [violation(policy.name, r, `missing tags ${missing.join(', ')}`)] : [];
      }),
  };
  return policy;
}
