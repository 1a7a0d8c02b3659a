import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
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
