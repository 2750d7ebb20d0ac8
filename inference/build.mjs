// Bundles the inference service (src/main.ts plus the ml/ library it imports)
// into one ES module for the container: `node dist/main.mjs` needs no
// node_modules at run time. Usage: node inference/build.mjs [outdir]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, 'dist'));

const result = await build({
  entryPoints: [path.join(here, 'src', 'main.ts')],
  outfile: path.join(outdir, 'main.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // ml/ sits outside inference/: its bare imports (zod) must resolve to this package's
  // dependencies in the image, where there is no root node_modules.
  nodePaths: [path.join(here, 'node_modules')],
  // Bundled CommonJS packages (fastify, the AWS SDK) call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`inference bundle: ${path.relative(process.cwd(), path.join(outdir, 'main.mjs'))} (${(bytes / 1e6).toFixed(1)} MB with source map)`);
