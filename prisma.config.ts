import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI where its engine can be downloaded (e.g. `prisma migrate
// deploy` on a machine with internet). The app itself applies migrations at start-up
// (server/db/migrate.ts) and never needs the CLI at run time.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/mlops' },
});
