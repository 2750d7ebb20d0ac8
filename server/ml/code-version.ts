import 'server-only';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | null = null;

/**
 * The code a model was trained with: MLOPS_CODE_VERSION when the process was told
 * (container images carry no .git; their build sets it to git:<sha>), else the git
 * commit (with "+dirty" for local changes), else the package version.
 */
export function codeVersion(): string {
  if (cached) return cached;
  if (process.env.MLOPS_CODE_VERSION && !/:unknown$/.test(process.env.MLOPS_CODE_VERSION)) return (cached = process.env.MLOPS_CODE_VERSION);
  const root = path.resolve(import.meta.dirname, '..', '..');
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    cached = `git:${sha}${dirty ? '+dirty' : ''}`;
  } catch {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    cached = `v${pkg.version}`;
  }
  return cached;
}
