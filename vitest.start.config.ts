import { defineConfig } from "vitest/config";

// scripts/start.test.ts alone: it serves a production build, so `npm test` runs it after the
// build step rather than with the unit and integration tests.
export default defineConfig({
  test: {
    include: ["scripts/start.test.ts"],
    environment: "node",
    testTimeout: 1_000_000,
    hookTimeout: 120_000,
  },
});
