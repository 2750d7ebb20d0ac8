#!/bin/sh
# Start of the web image (docker/web.Dockerfile).
#
# With arguments, run them instead (one-off commands in the image, e.g.
# `docker run … pricesense-web npm run -s mlops -- keys create …`). Without: apply
# pending migrations — under Prisma's advisory lock, so replicas starting together
# wait for each other — create the first administrator on an empty database
# (MLOPS_ADMIN_EMAIL / MLOPS_ADMIN_PASSWORD), then hand PID 1 to Next.
set -eu
if [ "$#" -gt 0 ]; then exec "$@"; fi
node --conditions=react-server --import tsx server/cli/main.ts db migrate --ensure-admin
exec node node_modules/next/dist/bin/next start -H "${HOST:-0.0.0.0}" -p "${PORT:-3000}"
