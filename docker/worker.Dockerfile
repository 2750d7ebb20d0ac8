# syntax=docker/dockerfile:1
#
# The control plane's background worker (server/jobs/worker.ts): the pg-boss job
# queue — dataset imports, local training runs, SageMaker job follow-up, serving
# status, monitoring, alerts, costs. Build from the repository root; the root
# .dockerignore filters the context:
#
#   docker build -f docker/worker.Dockerfile --build-arg GIT_SHA=$(git rev-parse --short=12 HEAD) -t pricesense-worker .
#   docker run -e DATABASE_URL=postgresql://… -e AUTH_SECRET=… -e STORAGE_BACKEND=s3 -e S3_BUCKET=my-bucket pricesense-worker
#
# Shipped as TypeScript run by tsx (a production dependency), not an esbuild
# bundle like the inference service: the worker starts each training run as a
# `node --import tsx server/jobs/run-trainer.ts` child process and its ML threads
# load .ts files through tsx (server/ml/ml-thread.mjs), so a bundle would need one
# entry per process and thread and would no longer be what `npm start` runs.
# The worker does not apply migrations: the web container does at start-up. A
# worker started before them cannot record its heartbeat, so its health check
# fails until the schema exists.

ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# Production dependencies only, no install scripts (see docker/web.Dockerfile).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# The Prisma client is generated code (server/db/generated): it needs the prisma CLI, a dev dependency.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/
RUN node scripts/prisma-generate.mjs

FROM ${NODE_IMAGE} AS runtime
ARG GIT_SHA=unknown
ENV NODE_ENV=production \
    MLOPS_PROCESS=worker \
    MLOPS_DATA_DIR=/data \
    MLOPS_CODE_VERSION=git:${GIT_SHA} \
    WORKER_HEARTBEAT_FILE=/tmp/worker-heartbeat
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json tsconfig.json ./
COPY --chown=root:root server ./server
COPY --from=build --chown=root:root /app/server/db/generated ./server/db/generated
COPY --chown=root:root lib ./lib
COPY --chown=root:root ml ./ml
COPY --chown=root:root inference/src ./inference/src
COPY --chown=root:root prisma/migrations ./prisma/migrations
RUN mkdir -p /data && chown -R node:node /data
USER node
# Alive = the worker wrote its heartbeat (every 15 s, right after recording it in
# the database) within the last minute: its event loop runs and the database
# answers. The same rule makes the Overview count a worker alive.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "server/jobs/worker-healthcheck.mjs"]
CMD ["node", "--conditions=react-server", "--import", "tsx", "server/jobs/worker.ts"]
