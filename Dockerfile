# syntax=docker/dockerfile:1
# One image for every twelvefa process; the command picks which one runs:
#   twelvefa                 the gRPC API (the default command), binds $PORT
#   twelvefa-worker          a BullMQ worker for heavy nth-prime jobs
#   twelvefa-health ADDRESS  exits 0 when grpc.health.v1 reports SERVING
#   calcli                   the REPL and scripting client
#   twelvefa-keys            issues and revokes API keys (AUTH_KEYS_FILE)
# docker-compose.yml and infra/k8s run this one image with different commands.
#
# packages/deploy-checks/test/image-build.test.ts replays the COPY and RUN steps
# below outside Docker (no engine runs on our machines), then starts the runtime
# stage's command and waits for it to report SERVING. Keep every RUN relative to
# its WORKDIR so that replay stays faithful.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app

# The deployables and the workspace packages they import, nothing else:
# out/json holds the package.json files and the pruned lockfile (the dependency
# layer), out/full the sources. turbo's version comes from the root package.json.
FROM base AS pruner
COPY . .
RUN npx --yes "turbo@$(node -p "require('./package.json').devDependencies.turbo")" prune @twelvefa/server @twelvefa/cli --docker

FROM base AS builder
COPY --from=pruner /app/out/json/ ./
# The root postinstall applies these to the installed dependencies (patches/README.md).
COPY patches/ ./patches/
RUN npm ci --no-audit --no-fund
COPY --from=pruner /app/out/full/ ./
# turbo prune copies packages, not the shared compiler settings they extend.
COPY tsconfig.base.json ./
RUN TURBO_TELEMETRY_DISABLED=1 npx turbo run build --filter=@twelvefa/server --filter=@twelvefa/cli
# Production dependencies only: the dev ones pruned from this install, so the patched
# files stay (a fresh `npm ci --omit=dev` would run the postinstall without patch-package).
# Pruning also links the workspaces' bins (committed shims in packages/*/bin that run dist/).
# (npm counts an optional peer of a production package as production: typescript stays,
# through valibot.)
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=80 \
    LOG_FORMAT=json \
    PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
COPY --from=builder /app/package.json /app/package-lock.json ./
COPY --from=builder /app/node_modules/ ./node_modules/
COPY --from=builder /app/packages/ ./packages/
# The node image's unprivileged user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 80
# Exec form: Node is PID 1 and receives SIGTERM itself; the server and the worker
# install their own handlers and shut down within SHUTDOWN_GRACE_MS.
CMD ["twelvefa"]
