/**
 * Policies are plain functions over the resources a Pulumi program registers
 * (captured under mocks in tests, or any other list of {type, name, inputs}):
 * each returns the violations it finds, an empty list when the stack complies.
 * Plain functions rather than a PolicyPack, which needs the Pulumi CLI.
 */

export type CapturedResource = {
  /** Pulumi type token, e.g. aws:s3/bucket:Bucket. */
  type: string;
  name: string;
  /** The physical ID the (mock) engine assigned: other resources' inputs refer to it. */
  id?: string;
  /** The inputs as the provider receives them (outputs resolved). */
  inputs: Record<string, unknown>;
  /** false for component resources. */
  custom: boolean;
  protect: boolean;
  /** URN of the parent resource. */
  parent?: string;
};

export type Violation = { policy: string; resource: string; message: string };

export type Policy = {
  name: string;
  /** The rule, in a sentence. */
  description: string;
  check(resources: readonly CapturedResource[]): Violation[];
};

export const ofType = (resources: readonly CapturedResource[], type: string) => resources.filter((r) => r.type === type);

export function violation(policy: string, r: CapturedResource, message: string): Violation {
  return { policy, resource: `${r.type} ${r.name}`, message };
}

/** Policy documents arrive as JSON strings (or already parsed). */
export function parsePolicy(doc: unknown): { Statement?: unknown } | null {
  if (typeof doc === 'string') {
    try { return JSON.parse(doc) as { Statement?: unknown }; } catch { return null; }
  }
  return doc && typeof doc === 'object' ? (doc as { Statement?: unknown }) : null;
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
