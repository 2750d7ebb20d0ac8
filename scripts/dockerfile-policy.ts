/**
 * The project's rules for container images, as plain functions over the text of
 * a Dockerfile and a .dockerignore: no Docker engine is needed (none runs on the
 * development machines), so `npm test` checks what it can read. Used by
 * scripts/dockerfile-policy.test.ts on every Dockerfile in the repository.
 */

export type Instruction = { keyword: string; args: string; line: number };
export type Stage = { name: string | null; image: string; instructions: Instruction[] };
export type ParsedDockerfile = { args: Record<string, string>; stages: Stage[] };

/** Instructions with continuations joined and comments dropped; global ARG defaults; one entry per stage. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: Instruction[] = [];
  let pending: { args: string[]; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!pending && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending && trimmed.startsWith('#')) return; // comment lines inside a continuation
    const continues = trimmed.endsWith('\\');
    const body = continues ? trimmed.slice(0, -1) : trimmed;
    pending ??= { args: [], line: index + 1 };
    pending.args.push(body);
    if (continues) return;
    const joined = pending.args.join(' ').replace(/\s+/g, ' ').trim();
    const [keyword = '', ...rest] = joined.split(' ');
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = null;
  });

  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const parts = ins.args.split(' ').filter((p) => !p.startsWith('--'));
      const asAt = parts.findIndex((p) => p.toUpperCase() === 'AS');
      const image = substitute(parts[0] ?? '', args);
      stages.push({ name: asAt > 0 ? (parts[asAt + 1] ?? null) : null, image, instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') {
        const [name = '', value = ''] = ins.args.split('=');
        args[name.trim()] = value.trim().replace(/^"(.*)"$/, '$1');
      }
    } else {
      stages[stages.length - 1]!.instructions.push(ins);
    }
  }
  return { args, stages };
}

function substitute(value: string, args: Record<string, string>) {
  return value.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    return args[name] || fallback || '';
  });
}

/** An image reference is pinned when it names a digest, or a tag that starts with a full x.y.z version. */
export function isPinnedImage(ref: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return true;
  const lastSegment = ref.split('/').pop() ?? '';
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== 'latest' && /^v?\d+\.\d+\.\d+([-.+_].*)?$/.test(tag);
}

/** The words of a JSON-array or shell-form COPY/ADD, with its --flags apart. */
function copyParts(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.split(' ').filter(Boolean);
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (const w of words) {
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(w);
    if (flag && rest.length === 0) flags[flag[1]!] = flag[2] ?? 'true';
    else rest.push(w);
  }
  return { flags, sources: rest.slice(0, -1), dest: rest.at(-1) ?? '' };
}

const SECRET_PATH = /(^|\/)(\.env(\..*)?|\.npmrc|\.aws|\.ssh|secrets?|credentials(\.json)?|id_rsa|id_ed25519)(\/|$)|\.(pem|key|p12|pfx)$/i;
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|PRIVATE_KEY|API_KEY)/i;
const ROOT_USERS = new Set(['root', '0', 'root:root', '0:0']);

export type DockerfileOptions = {
  /** A batch image (the SageMaker trainer) may declare `HEALTHCHECK NONE`; servers must define a check. */
  allowNoHealthcheck?: boolean;
};

/** Every rule this Dockerfile breaks, one sentence each (empty: it follows them all). */
export function checkDockerfile(text: string, options: DockerfileOptions = {}): string[] {
  const problems: string[] = [];
  const { stages } = parseDockerfile(text);
  if (stages.length === 0) return ['no FROM instruction'];
  if (stages.length < 2) problems.push('single stage: build in one stage and copy only the result into a runtime stage');
  const names = new Set<string>();
  for (const stage of stages) {
    if (!names.has(stage.image) && !isPinnedImage(stage.image)) {
      problems.push(`FROM ${stage.image || '(empty)'} is not pinned: use an exact version tag (node:22.23.3-bookworm-slim) or a digest, never latest or a major-only tag`);
    }
    if (stage.name) names.add(stage.name);
    for (const ins of stage.instructions) {
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const { flags, sources } = copyParts(ins.args);
        if (flags.from) continue;
        for (const source of sources) {
          if (SECRET_PATH.test(source.replace(/^\.\//, ''))) problems.push(`line ${ins.line}: ${ins.keyword} ${source} copies secrets into the image; pass them at run time`);
        }
      }
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
        for (const m of ins.args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) {
          if (SECRET_NAME.test(m[1]!) && m[2] && m[2] !== '""') problems.push(`line ${ins.line}: ${ins.keyword} ${m[1]} bakes a secret into the image; pass it at run time`);
        }
      }
      if (ins.keyword === 'RUN' && /\bnpm (install|i)\b/.test(ins.args)) problems.push(`line ${ins.line}: npm install: use npm ci, which installs exactly the lockfile`);
    }
  }

  const final = stages[stages.length - 1]!;
  const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
  if (!user) problems.push('the final stage never sets USER, so the container runs as root');
  else if (ROOT_USERS.has(user.args.trim())) problems.push(`the final stage runs as ${user.args.trim()}: use an unprivileged user (node)`);

  const health = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
  if (!health) problems.push('the final stage has no HEALTHCHECK');
  else if (/^NONE$/i.test(health.args.trim()) && !options.allowNoHealthcheck) problems.push('HEALTHCHECK NONE: a long-running service must define a health check');
  else if (!/^NONE$/i.test(health.args.trim()) && !/\bCMD\b/.test(health.args)) problems.push('HEALTHCHECK without CMD');

  // Production dependencies only: node_modules in the final image come from an `npm ci --omit=dev`.
  const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name!, s]));
  const isProdInstall = (s: Stage) => s.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args) && /--omit[= ]dev\b/.test(i.args));
  for (const ins of final.instructions) {
    if (ins.keyword === 'RUN' && /\bnpm ci\b/.test(ins.args) && !/--omit[= ]dev\b/.test(ins.args)) problems.push(`line ${ins.line}: the final stage installs dev dependencies (add --omit=dev)`);
    if (ins.keyword !== 'COPY') continue;
    const { flags, sources } = copyParts(ins.args);
    if (!flags.from || !sources.some((s) => /(^|\/)node_modules\/?$/.test(s))) continue;
    const from = byName.get(flags.from);
    if (!from || !isProdInstall(from)) problems.push(`line ${ins.line}: node_modules copied from stage ${flags.from}, which does not install with npm ci --omit=dev`);
  }
  return problems;
}

/** COPY instructions of the final stage that read from the build context: their sources, and the paths they create (relative to WORKDIR). */
export function finalStageCopies(text: string): { fromContext: string[]; created: string[] } {
  const { stages } = parseDockerfile(text);
  const final = stages[stages.length - 1];
  const fromContext: string[] = [];
  const created: string[] = [];
  for (const ins of final?.instructions ?? []) {
    if (ins.keyword !== 'COPY') continue;
    const { flags, sources, dest } = copyParts(ins.args);
    const into = dest.replace(/^\.\/?/, '').replace(/^\/app\/?/, '');
    for (const source of sources) {
      const clean = source.replace(/\/$/, '');
      if (!flags.from) fromContext.push(clean);
      const name = clean.split('/').pop()!;
      created.push(dest.endsWith('/') || sources.length > 1 ? `${into.replace(/\/$/, '')}/${name}`.replace(/^\//, '') : into.replace(/\/$/, ''));
    }
  }
  return { fromContext, created };
}

/** Translate one .dockerignore pattern (Go filepath.Match plus `**`) into a regular expression. */
function patternToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Would Docker leave this path (relative to the context root, `/`-separated) out
 * of the build context? Same rules as BuildKit: a pattern matching a path or any
 * of its parent directories applies; the last applicable pattern wins; `!`
 * patterns put paths back.
 */
export function createDockerignore(text: string) {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const body = (negated ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
      return { negated, re: patternToRegExp(body) };
    });
  return {
    isExcluded(path: string): boolean {
      const parts = path.split('/');
      const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
      let excluded = false;
      for (const rule of rules) if (candidates.some((c) => rule.re.test(c))) excluded = !rule.negated;
      return excluded;
    },
  };
}

/** Paths that must never be sent to a build: dependencies, build output, local data, VCS, secrets. */
export const MUST_BE_IGNORED = [
  'node_modules/next/package.json',
  'inference/node_modules/fastify/package.json',
  '.next/BUILD_ID',
  '.git/HEAD',
  '.env',
  '.env.local',
  'server/.env.production',
  '.data/storage/runs/x/model.json',
  '.e2e-data/pg/PG_VERSION',
  '.test-data/pg/PG_VERSION',
  'secrets/aws.json',
  'deploy-key.pem',
];

export function checkDockerignore(text: string): string[] {
  const ignore = createDockerignore(text);
  return MUST_BE_IGNORED.filter((p) => !ignore.isExcluded(p)).map((p) => `${p} is not excluded from the build context`);
}
