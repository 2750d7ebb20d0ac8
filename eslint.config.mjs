import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// The client/server boundary is a rule, not a hope: UI and client-safe helpers
// never import server code, and the ML library imports nothing from Node, Next
// or the DOM so it runs in the web app, worker, CLI and inference container.
const serverImports = {
  group: ['@/server/*', '**/server/*', 'server-only'],
  message: 'Client-side code must not import server modules; call a server action or route handler.',
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', 'server/db/generated/**', '.data/**', '.e2e-data/**', '.test-data/**',
      'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'inference/node_modules/**', 'infra/node_modules/**', 'bench/out/**'],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      'no-console': 'off',
    },
  },
  {
    files: ['components/**', 'lib/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serverImports] }] },
  },
  {
    files: ['ml/**'],
    ignores: ['ml/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'], message: 'ml/ is runtime-neutral: no Node built-ins (pass data in, get data out).' },
          { group: ['next', 'next/*', 'react', 'react-dom', '@/server/*', '@/app/*', '@/components/*'], message: 'ml/ imports nothing from the app.' },
        ],
      }],
    },
  },
  {
    files: ['inference/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@/server/*', '@/app/*', '@/components/*', '**/server/*', '@prisma/*', 'pg'], message: 'The inference service imports only ml/ and its own code; it never touches the database.' }],
      }],
    },
  },
];

export default config;
