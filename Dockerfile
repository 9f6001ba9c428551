# syntax=docker/dockerfile:1
# Build: compile better-sqlite3 and generate the Prisma clients (no engine downloads: Rust-free Prisma).
FROM node:22-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
# Compiled once here: the service runs JavaScript (no TypeScript compiler in memory at run time).
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Run: production dependencies only, as a non-root user; migrations are applied at start.
FROM node:22-bookworm-slim
ENV NODE_ENV=production DATABASE_URL=file:/data/app.db PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/src/generated ./src/generated
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
COPY src ./src
COPY prisma ./prisma
COPY definitions ./definitions
COPY locales ./locales
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The command `npm start` runs after building, and the one the fault tests start and kill (test/fault/kill-restart.test.ts).
# src stays in the image for the operator commands (npm run admin, report, reminders…), which run through tsx.
# The 1 GB heap limit keeps V8 collecting garbage soon after a burst instead of letting it grow to four times the live
# heap (docs/reliability.md, "Memory"); the live heap is about 50 MB.
CMD ["node", "--max-old-space-size=1024", "--enable-source-maps", "dist/main.js"]
