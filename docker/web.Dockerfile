# syntax=docker/dockerfile:1
#
# The control plane's web app (Next.js: pages, server actions, REST API). Build
# from the repository root; the root .dockerignore filters the context:
#
#   docker build -f docker/web.Dockerfile --build-arg GIT_SHA=$(git rev-parse --short=12 HEAD) -t pricesense-web .
#
# On start it applies pending database migrations and creates the first
# administrator on an empty database (docker/web-entrypoint.sh), then runs
# `next start`. Needs DATABASE_URL and AUTH_SECRET (shared with the worker), e.g.
#
#   docker run -p 3000:3000 -e DATABASE_URL=postgresql://… -e AUTH_SECRET=… \
#     -e STORAGE_BACKEND=s3 -e S3_BUCKET=my-bucket pricesense-web
#
# Why not Next's `output: 'standalone'`: the image also runs the `mlops` CLI (the
# migrations above, and `docker exec … npm run -s mlops -- …`) with tsx over the
# server sources, so it needs the production node_modules anyway; and standalone's
# file tracing of native, dynamically loaded packages (DuckDB, pg-boss, the AWS
# SDK) cannot be verified without a Docker engine, while `next start` over full
# node_modules is exactly what `npm start` and the end-to-end tests run.

ARG NODE_IMAGE=node:22.23.3-bookworm-slim

# Production dependencies only. No install scripts: the Prisma client is generated
# in the build stage; DuckDB and esbuild ship their binaries as platform packages.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# Everything (dev dependencies included) to generate the Prisma client and build.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# prisma-generate.mjs works with or without network (see TOOLCHAIN notes); the
# build cache is dropped so it does not ride along into the runtime image.
RUN node scripts/prisma-generate.mjs \
 && NODE_ENV=production node_modules/.bin/next build \
 && rm -rf .next/cache

FROM ${NODE_IMAGE} AS runtime
ARG GIT_SHA=unknown
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    AUTH_TRUST_HOST=true \
    MLOPS_PROCESS=web \
    MLOPS_DATA_DIR=/data \
    MLOPS_CODE_VERSION=git:${GIT_SHA}
WORKDIR /app
# Code is root-owned and read-only for the runtime user; only the data dir (local
# storage, DuckDB scratch) and Next's runtime cache are writable.
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json tsconfig.json next.config.mjs ./
COPY --from=build --chown=root:root /app/.next ./.next
COPY --from=build --chown=root:root /app/server ./server
COPY --chown=root:root lib ./lib
COPY --chown=root:root ml ./ml
COPY --chown=root:root inference/src ./inference/src
COPY --chown=root:root prisma/migrations ./prisma/migrations
COPY --chown=root:root --chmod=755 docker/web-entrypoint.sh ./docker/
RUN mkdir -p /data .next/cache && chown -R node:node /data .next/cache
USER node
EXPOSE 3000
# /api/health: 200 while the database and storage answer (a missing worker only
# degrades it), 503 otherwise. No curl in slim images: node's own fetch probes it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/app/docker/web-entrypoint.sh"]
