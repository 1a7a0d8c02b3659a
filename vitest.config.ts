import path from "node:path";
import { defineConfig } from "vitest/config";

// VITEST_SHUFFLE=1 runs test files and the tests inside them in a shuffled order, so a test that
// leans on what another one left behind fails; the seed is printed (test/global-setup.ts) and
// VITEST_SEED replays an order. Not yet the default: two files still lean on earlier tests.
const seed = Number(process.env.VITEST_SEED || Math.floor(Math.random() * 1_000_000));
const shuffle = process.env.VITEST_SHUFFLE === "1" || Boolean(process.env.VITEST_SEED);

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
    include: ["**/*.test.ts"],
    // scripts/start.test.ts runs after the build (vitest.start.config.ts).
    exclude: [
      "node_modules/**",
      "e2e/**",
      ".next/**",
      ".next-*/**",
      ".data/**",
      ".test-data/**",
      "scripts/start.test.ts",
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
