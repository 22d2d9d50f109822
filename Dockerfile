# syntax=docker/dockerfile:1
# One image recipe for all three apps; pick one with the APP and PORT build args:
#   docker build --build-arg APP=gateway --build-arg PORT=8000 -t event-hub/gateway .
# docker-compose.yaml passes them for each app service.

# bookworm (glibc), not alpine: Nx ships its native binary for linux-x64-gnu.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app

# All dependencies, dev tools included, for the build, exactly as the lockfile records them (it
# holds every platform's optional builds; see tools/scripts/ensure-deps.sh).
FROM base AS deps
COPY package.json package-lock.json ./
# patches/: fixes to dependencies, applied by the postinstall script (patch-package).
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
# No daemon or remote cache inside a throwaway build container.
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true
COPY . .
RUN npx nx run-many -t build -p gateway processor monitor

# webpack leaves node_modules external, so the runtime needs the production ones.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# kafkajs as patched in the build stage (patches/kafkajs+*.patch): read_committed must drop every
# aborted record.
COPY --from=build /app/node_modules/kafkajs ./node_modules/kafkajs

FROM base AS runtime
ARG APP
ARG PORT
# Fail the build early instead of shipping an image with no app in it.
RUN test -n "${APP}" && test -n "${PORT}" \
    || { echo "build args APP and PORT are required" >&2; exit 1; }
ENV NODE_ENV=production \
    APP=${APP} \
    PORT=${PORT}
# The monitor's spill-over directory and the gateway's balance snapshot: a named
# volume mounted here inherits this ownership, so the non-root user can write to it.
RUN mkdir -p /var/lib/event-hub/fallback /var/lib/event-hub/auth /var/lib/event-hub/balances \
    && chown -R node:node /var/lib/event-hub
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
COPY deploy/docker/healthcheck.cjs ./healthcheck.cjs
# Code stays root-owned (read-only for the app); the process runs as node.
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "healthcheck.cjs", "/health/ready"]
# exec: node replaces the shell and receives SIGTERM itself.
CMD ["sh", "-c", "exec node \"dist/apps/${APP}/main.js\""]
