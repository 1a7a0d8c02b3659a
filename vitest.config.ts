import path from "node:path";
import { defineConfig } from "vitest/config";

// Test files and the tests inside them run in a shuffled order, so a test that leans on what
// another one left behind fails; the seed is printed (test/global-setup.ts), VITEST_SEED replays
// an order and VITEST_SHUFFLE=0 keeps the written one.
// (Kept in the environment: vitest reads this file once per project, and every project must
// shuffle by the seed that is printed.)
process.env.VITEST_SEED ||= String(Math.floor(Math.random() * 1_000_000));
const seed = Number(process.env.VITEST_SEED);
const shuffle = process.env.VITEST_SHUFFLE !== "0";

const exclude = [
  "node_modules/**",
  "e2e/**",
  ".next/**",
  ".next-*/**",
  ".data/**",
  ".test-data/**",
  // scripts/start.test.ts runs after the build (vitest.start.config.ts).
  "scripts/start.test.ts",
];

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // server/ and db/ import the `server-only` marker, which only Next.js resolves to nothing;
      // tests import those modules outside Next.js (as React's server build would).
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    // The database suites of db/ run on every configured engine (test/databases.ts): PGlite and,
    // with TEST_DATABASE_URL, PostgreSQL, since the engine's behaviour depends on the engine it
    // runs on (one connection in process, or a pool shared by workers). The suites of server/
    // test routes, guards and presenters over those same queries: they run once, on PostgreSQL
    // when it is configured (TEST_BACKENDS=pglite,postgres runs them on both).
    projects: [
      {
        extends: true,
        test: { name: "core", include: ["**/*.test.ts"], exclude: [...exclude, "server/**"] },
      },
      {
        extends: true,
        test: {
          name: "server",
          include: ["server/**/*.test.ts"],
          exclude,
          env: { TEST_BACKENDS: process.env.TEST_BACKENDS ?? "one" },
        },
      },
    ],
    environment: "node",
    sequence: { shuffle, seed },
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup.ts"],
    env: {
      BETTER_AUTH_SECRET: "outflow-test-secret-0123456789abcdef",
      BETTER_AUTH_URL: "http://localhost:3000",
    },
    // Most of a test file's time is spent waiting on a database or on child processes, so two
    // files run side by side even on two cores (vitest's default there is one).
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
