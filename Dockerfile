# syntax=docker/dockerfile:1
# One image for every role of tickflow: ROLES picks the modules a container runs (see docker-compose.yml).
#   docker build -t tickflow .
#   docker run -p 8080:8080 -v tickflow-data:/app/data tickflow      # every role, simulator, SQLite
# Bun's line matches package.json "engines"; bump both together.
ARG BUN_VERSION=1.4.5

# Production dependencies exactly as locked. The live page is bundled at start from node_modules
# (lightweight-charts, @grafana/faro-web-sdk), so those are production dependencies too.
FROM oven/bun:${BUN_VERSION}-slim AS deps
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
RUN bun install --production --frozen-lockfile

FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
# NODE_NO_WARNINGS: kafkajs under Bun prints a harmless TimeoutNegativeWarning on every start.
ENV NODE_ENV=production \
    NODE_NO_WARNINGS=1 \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=8080 \
    SQLITE_PATH=/app/data/tickflow.db
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY migrations ./migrations
COPY src ./src
# The SQLite store of a single-container run lives here; Kafka + Cassandra deployments leave it empty.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
VOLUME ["/app/data"]
# The base image's unprivileged user `bun`, by number so an orchestrator can verify it is not root.
USER 1000:1000
EXPOSE 8080
# The image has no curl: Bun's fetch asks the process' own liveness endpoint.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bun", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: bun is PID 1 and receives SIGTERM itself; the runtime drains its modules before exiting
# (give it time: docker-compose.yml sets stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["bun", "src/main.ts"]
CMD ["run"]
