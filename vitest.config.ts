import { defineConfig } from "vitest/config";

/**
 * Three lanes (`npm test` runs them all):
 * - unit: pure code next to its source (src/**), no database, no network — `npm run test:unit`, well under a minute;
 * - integration: real databases and loopback HTTP, in-process (test/**, but the slow lane's folders);
 * - slow: whole processes and journeys — the compiled service killed and restarted (test/fault), the CLIs and the
 *   real programs they drive (test/cli), end-to-end over webhooks and a browser (test/e2e). Only this lane compiles
 *   dist first, since only it starts `node dist/main.js`.
 */
const SLOW = ["test/fault/**/*.test.ts", "test/cli/**/*.test.ts", "test/e2e/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Database suites share one PostgreSQL server; files run in parallel but each uses its own schema.
    pool: "forks",
    // Most suites wait on databases, child processes and loopback HTTP rather than CPU: run more files than cores.
    maxWorkers: 4,
    projects: [
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/**/*.test.ts"], exclude: SLOW } },
      // Fault tests start the compiled service (dist/main.js), as production does.
      { extends: true, test: { name: "slow", include: SLOW, globalSetup: ["test/support/build-dist.ts"] } },
    ],
  },
});
