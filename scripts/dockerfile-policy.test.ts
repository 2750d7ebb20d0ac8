import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { checkDockerfile, checkDockerignore, createDockerignore, finalStageCopies, isPinnedImage, parseDockerfile } from './dockerfile-policy';

const ROOT = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', '.git', '.next', '.data', '.test-data', '.tmp', 'test-results', 'playwright-report']);

function findDockerfiles(dir = ROOT, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.e2e-data')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findDockerfiles(full, out);
    else if (entry.name === 'Dockerfile' || entry.name.endsWith('.Dockerfile')) out.push(path.relative(ROOT, full));
  }
  return out.sort();
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
/** BuildKit prefers <Dockerfile>.dockerignore beside the Dockerfile, else the context root's .dockerignore. */
const dockerignoreOf = (file: string) => (fs.existsSync(path.join(ROOT, `${file}.dockerignore`)) ? `${file}.dockerignore` : '.dockerignore');
const dockerfiles = findDockerfiles();
/** Batch images without a server to probe (SageMaker judges a training job by its exit code). */
const BATCH_IMAGES = new Set(['trainer/Dockerfile']);

describe("the repository's Dockerfiles", () => {
  it('are the four images: web, worker, inference, trainer', () => {
    expect(dockerfiles).toEqual(['docker/web.Dockerfile', 'docker/worker.Dockerfile', 'inference/Dockerfile', 'trainer/Dockerfile']);
  });

  it.each(dockerfiles)('%s: pinned multi-stage build, non-root, health check, production dependencies, no secrets', (file) => {
    expect(checkDockerfile(read(file), { allowNoHealthcheck: BATCH_IMAGES.has(file) })).toEqual([]);
  });

  it.each(dockerfiles)('%s: its build context leaves out dependencies, build output, data and secrets, and keeps what it copies', (file) => {
    const ignoreFile = dockerignoreOf(file);
    expect(checkDockerignore(read(ignoreFile))).toEqual([]);
    const ignore = createDockerignore(read(ignoreFile));
    for (const source of finalStageCopies(read(file)).fromContext) {
      expect(fs.existsSync(path.join(ROOT, source)), `${source} exists`).toBe(true);
      expect(ignore.isExcluded(source), `${file} copies ${source}, which ${ignoreFile} leaves out`).toBe(false);
    }
  });
});

/**
 * What a process in the image imports must be in the image: every local module
 * under a path the final stage copies (and not filtered out of the context), every
 * package a production dependency (the image installs with --omit=dev).
 */
describe('each image holds what its processes import', () => {
  const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

  async function importGraph(entries: string[]) {
    const result = await build({ entryPoints: entries.map((e) => path.join(ROOT, e)), absWorkingDir: ROOT, bundle: true, write: false, platform: 'node', format: 'esm', outdir: path.join(ROOT, '.tmp', 'graph'), packages: 'external', metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    const packages = new Set(Object.values(result.metafile.inputs).flatMap((i) => i.imports.filter((imp) => imp.external && !builtins.has(imp.path) && !/^[./]/.test(imp.path)).map((imp) => packageOf(imp.path))));
    return { inputs, packages: [...packages].sort() };
  }

  it.each([
    ['trainer/Dockerfile', ['trainer/sagemaker-entry.ts', 'server/ml/ml-thread.ts']],
    ['docker/worker.Dockerfile', ['server/jobs/worker.ts', 'server/jobs/run-trainer.ts', 'server/jobs/run-reporter.mjs', 'server/ml/ml-thread.ts', 'server/jobs/worker-healthcheck.mjs']],
    // The web image's own TypeScript entry is the CLI its entrypoint runs for migrations; the app itself is the .next build.
    ['docker/web.Dockerfile', ['server/cli/main.ts']],
  ])('%s', async (file, entries) => {
    const { inputs, packages } = await importGraph(entries);
    expect(inputs.length).toBeGreaterThan(entries.length);
    expect(missingFromImage(read(file), read(dockerignoreOf(file)), inputs)).toEqual([]);
    expect(packages.filter((p) => !pkg.dependencies[p])).toEqual([]);
  }, 60_000);

  it('notices a module the image lacks', async () => {
    const { inputs } = await importGraph(['trainer/sagemaker-entry.ts']);
    const withoutServerMl = read('trainer/Dockerfile').replace(/^COPY .*server\/ml .*$/m, '');
    expect(missingFromImage(withoutServerMl, read('trainer/Dockerfile.dockerignore'), inputs)).toContain('server/ml/train-and-evaluate.ts');
    const filteredOut = `${read('trainer/Dockerfile.dockerignore')}\nserver/ml/thread-pool.ts\n`;
    expect(missingFromImage(read('trainer/Dockerfile'), filteredOut, inputs)).toEqual(['server/ml/thread-pool.ts']);
  }, 60_000);
});

/** Local modules not in the image: under no path the final stage creates, or filtered out of the context it came from. */
function missingFromImage(dockerfile: string, dockerignore: string, inputs: string[]) {
  const { created } = finalStageCopies(dockerfile);
  const ignore = createDockerignore(dockerignore);
  const generated = (f: string) => f.startsWith('server/db/generated/'); // made in the build stage, copied from it
  return inputs.filter((f) => !created.some((c) => f === c || f.startsWith(`${c}/`)) || (!generated(f) && ignore.isExcluded(f)));
}

const GOOD = `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:22.23.3-bookworm-slim
FROM \${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \\
 && npm cache clean --force
FROM \${NODE_IMAGE} AS runtime
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY server ./server
USER node
HEALTHCHECK --interval=15s CMD ["node", "health.mjs"]
CMD ["node", "server/main.js"]
`;

describe('checkDockerfile', () => {
  it('accepts a Dockerfile that follows every rule', () => {
    expect(parseDockerfile(GOOD).stages.map((s) => [s.name, s.image])).toEqual([['deps', 'node:22.23.3-bookworm-slim'], ['runtime', 'node:22.23.3-bookworm-slim']]);
    expect(checkDockerfile(GOOD)).toEqual([]);
  });

  it.each([
    ['a floating tag', GOOD.replace('node:22.23.3-bookworm-slim', 'node:22-slim'), /FROM node:22-slim is not pinned/],
    ['latest', GOOD.replace('node:22.23.3-bookworm-slim', 'node:latest'), /FROM node:latest is not pinned/],
    ['no tag at all', GOOD.replace('node:22.23.3-bookworm-slim', 'node'), /FROM node is not pinned/],
    ['one stage', GOOD.replace(/FROM \$\{NODE_IMAGE\} AS runtime\n/, '').replace('COPY --from=deps /app/node_modules ./node_modules\n', ''), /single stage/],
    ['root', GOOD.replace('USER node', 'USER root'), /runs as root/],
    ['no USER', GOOD.replace('USER node\n', ''), /never sets USER/],
    ['USER only in an earlier stage', GOOD.replace('USER node\n', '').replace('WORKDIR /app\nCOPY package.json', 'WORKDIR /app\nUSER node\nCOPY package.json'), /never sets USER/],
    ['no HEALTHCHECK', GOOD.replace(/HEALTHCHECK.*\n/, ''), /no HEALTHCHECK/],
    ['HEALTHCHECK NONE on a service', GOOD.replace(/HEALTHCHECK.*\n/, 'HEALTHCHECK NONE\n'), /a long-running service must define a health check/],
    ['dev dependencies in the image', GOOD.replace('npm ci --omit=dev', 'npm ci'), /node_modules copied from stage deps, which does not install with npm ci --omit=dev/],
    ['npm install', GOOD.replace('npm ci --omit=dev', 'npm install --omit=dev'), /use npm ci/],
    ['a copied .env', GOOD.replace('COPY server ./server', 'COPY .env ./'), /COPY \.env copies secrets/],
    ['a copied key', GOOD.replace('COPY server ./server', 'COPY certs/tls.key /etc/tls/'), /copies secrets/],
    ['a baked-in secret', GOOD.replace('WORKDIR /app\nCOPY --from', 'ENV AUTH_SECRET=abc123\nWORKDIR /app\nCOPY --from'), /ENV AUTH_SECRET bakes a secret/],
  ])('refuses %s', (_label, text, message) => {
    const problems = checkDockerfile(text);
    expect(problems.join('\n')).toMatch(message);
  });

  it('lets a batch image declare HEALTHCHECK NONE, and only when allowed', () => {
    const batch = GOOD.replace(/HEALTHCHECK.*\n/, 'HEALTHCHECK NONE\n');
    expect(checkDockerfile(batch, { allowNoHealthcheck: true })).toEqual([]);
    expect(checkDockerfile(batch)).not.toEqual([]);
  });

  it('tells pinned image references from floating ones', () => {
    expect(['node:22.23.3-bookworm-slim', 'public.ecr.aws/docker/library/node:22.23.3', `node@sha256:${'a'.repeat(64)}`, 'localhost:5000/node:20.19.0'].every(isPinnedImage)).toBe(true);
    expect(['node', 'node:22', 'node:lts-slim', 'node:latest', 'localhost:5000/node', 'node:22.23'].some(isPinnedImage)).toBe(false);
  });
});

describe('.dockerignore rules', () => {
  it('follow BuildKit: parents apply, last match wins, ! puts paths back, ** spans directories', () => {
    const ignore = createDockerignore('# comment\n*\n!inference/src/\ninference/src/**/*.test.ts\n!ml/\n**/fixtures\n');
    expect(ignore.isExcluded('README.md')).toBe(true);
    expect(ignore.isExcluded('inference/src/app.ts')).toBe(false);
    expect(ignore.isExcluded('inference/src/deep/app.test.ts')).toBe(true);
    expect(ignore.isExcluded('inference/node_modules/x.js')).toBe(true);
    expect(ignore.isExcluded('ml/fixtures/tiny.json')).toBe(true);
    expect(ignore.isExcluded('ml/model.ts')).toBe(false);
  });

  it('must leave out dependencies, build output, local data, VCS and secrets', () => {
    expect(checkDockerignore('node_modules\n.next\n')).toEqual(expect.arrayContaining(['.env is not excluded from the build context', '.git/HEAD is not excluded from the build context', 'inference/node_modules/fastify/package.json is not excluded from the build context']));
    expect(checkDockerignore(read('.dockerignore'))).toEqual([]);
  });
});
