import 'server-only';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Does the production build in .next match the sources? A fingerprint of every
 * source file's path, size and modification time, stored next to the build. Cheap
 * (a few hundred stat calls) and avoids a 30-second rebuild on every start.
 */
const SOURCE_DIRS = ['app', 'components', 'lib', 'server', 'prisma'];
const SOURCE_FILES = ['next.config.mjs', 'package-lock.json', 'tsconfig.json', 'postcss.config.mjs', 'proxy.ts', 'instrumentation.ts'];
const SKIP = new Set(['node_modules', 'generated', '.next']);

async function walk(dir: string, out: string[]) {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (SKIP.has(entry.name) || entry.name.endsWith('.test.ts')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else out.push(full);
  }
}

export async function sourceFingerprint(root: string): Promise<string> {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) await walk(path.join(root, dir), files);
  for (const file of SOURCE_FILES) files.push(path.join(root, file));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const st = await fs.stat(file).catch(() => null);
    if (st) hash.update(`${path.relative(root, file)}:${st.size}:${st.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const stampPath = (root: string) => path.join(root, '.next', 'pricesense-build-stamp');

export async function isBuildCurrent(root: string, fingerprint: string): Promise<boolean> {
  try {
    await fs.access(path.join(root, '.next', 'BUILD_ID'));
    return (await fs.readFile(stampPath(root), 'utf8')).trim() === fingerprint;
  } catch {
    return false;
  }
}

export async function writeBuildStamp(root: string, fingerprint: string) {
  await fs.writeFile(stampPath(root), fingerprint);
}
