# syntax=docker/dockerfile:1
# Kasir in a container. test/deploy/dockerfile.test.ts reproduces the runtime stage's steps in a clean
# temporary folder (its COPY and npm lines, read from this file), starts the server and runs the
# HEALTHCHECK, so what is written here is what the suite runs. Build: docker build -t kasir .
# Node.js 22 LTS. The build image has a compiler, in case better-sqlite3's prebuilt addon cannot be
# downloaded from GitHub; the runtime image (same Debian release, so the same glibc) has none.
ARG BUILD_IMAGE=node:22-bookworm
ARG RUNTIME_IMAGE=node:22-bookworm-slim

# Build stage: every dependency (TypeScript), then the compiled server in dist/. Scripts wait until the
# sources are here: `prepare` builds, and only better-sqlite3's install (its native addon) is needed now.
FROM ${BUILD_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/sdk/package.json packages/sdk/
COPY examples/shop/package.json examples/shop/
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY . .
RUN npm run build

# Runtime stage: production dependencies only, installed without scripts (`prepare` would need the
# compiler); the addon better-sqlite3 built above is copied in, so this stage needs no compiler and no
# download. Of the workspaces only the SDK comes along, built: the `kasir` CLI talks to Kasir through it.
FROM ${RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/sdk/package.json packages/sdk/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/packages/sdk/dist ./packages/sdk/dist
COPY --from=build /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node ./node_modules/better-sqlite3/build/Release/
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
ENV PORT=3000 HOST=0.0.0.0 DATABASE_URL=file:/data/kasir.db
VOLUME /data
EXPOSE 3000
# Readiness, not liveness: /readyz answers 503 while the database does not answer (README, Probes).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
