import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * Whether an AWS resource type accepts `tags`, read from @pulumi/aws's type
 * definitions: `aws:s3/bucketPolicy:BucketPolicy` → s3/bucketPolicy.d.ts, and
 * does `BucketPolicyArgs` declare `tags?:`. Answers for the provider version
 * installed, so the tag policy follows the provider.
 */
const awsRoot = path.dirname(createRequire(import.meta.url).resolve('@pulumi/aws/package.json'));
const cache = new Map<string, boolean>();

export function isTaggableAwsType(type: string): boolean {
  const cached = cache.get(type);
  if (cached !== undefined) return cached;
  const match = /^aws:([a-zA-Z0-9]+)\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  if (!match) throw new Error(`not an AWS resource type token: ${type}`);
  const [, module, file, name] = match;
  const dir = module === 'index' ? awsRoot : path.join(awsRoot, module!);
  const text = fs.readFileSync(path.join(dir, `${file}.d.ts`), 'utf8');
  const start = text.indexOf(`export interface ${name}Args {`);
  if (start < 0) throw new Error(`${type}: no ${name}Args in @pulumi/aws`);
  const end = text.indexOf('\n}', start);
  const taggable = /\n\s+tags\?: /.test(text.slice(start, end));
  cache.set(type, taggable);
  return taggable;
}
