import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    // Fault tests start the compiled service (dist/main.js), as production does.
    globalSetup: ["test/support/build-dist.ts"],
    hookTimeout: 60_000,
    // Database suites share one PostgreSQL server; files run in parallel but each uses its own schema.
    pool: "forks",
    // Most suites wait on databases, child processes and loopback HTTP rather than CPU: run more files than cores.
    maxWorkers: 4,
  },
});
