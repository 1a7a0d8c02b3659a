import path from "node:path";
import { defineConfig } from "vitest/config";
import { longFirstSequencer } from "./test/long-first-sequencer.ts";

// Test files, and the tests inside each file, run in a shuffled order, so a test that leans on
// what another one left behind fails: what several tests read is set up in a hook. Vitest
// prints the seed (`Running tests with seed "N"`), VITEST_SEED replays an order and
// VITEST_SHUFFLE=0 keeps the written one.
// (Kept in the environment: vitest reads this file once per project, and every project must
// shuffle by the seed that is printed.)
process.env.VITEST_SEED ||= String(Math.floor(Math.random() * 1_000_000));
const seed = Number(process.env.VITEST_SEED);
const shuffle = process.env.VITEST_SHUFFLE === "0" ? false : { files: true, tests: true };

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

const PURE = ["workflows/**/*.test.ts", "components/**/*.test.ts", "views/**/*.test.ts"];

// The suites that run whole campaigns over simulated weeks (through a database, or a forecast's
// many runs behind a route), or start other processes (workers killed mid-send, the command
// line, a second opener of a data directory): most of a run's time. `npm run test:quick` leaves
// them out; `npm test` runs them, first and longest first (test/long-first-sequencer.ts).
const LONG_SUITES = [
  "db/engine/engine.test.ts",
  "db/engine/workers.test.ts",
  "db/engine/crash.test.ts",
  "db/lock.test.ts",
  "db/engine/memory-parity.test.ts",
  "db/engine/outcomes.test.ts",
  "db/engine/hygiene.test.ts",
  "db/engine/credits.test.ts",
  "server/credits/credits.test.ts",
  "server/forecast/forecast.test.ts",
  "cli/validate.test.ts",
  "server/dashboard/dashboard.test.ts",
  "db/engine/unipile-fidelity.test.ts",
  "db/inbox/inbox.test.ts",
  "db/engine/rotation.test.ts",
  "db/engine/unipile.test.ts",
  "cli/classify-replies.test.ts",
];
if (process.env.OUTFLOW_QUICK_TESTS === "1") exclude.push(...LONG_SUITES);

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
    //
    // The pure tests (workflows/, components/, views/: no database, no process, no server) run
    // without isolation, sharing the modules they import within a vitest worker: importing
    // them again for every file cost four times their tests' own time.
    projects: [
      {
        extends: true,
        test: { name: "pure", include: PURE, exclude, isolate: false },
      },
      {
        extends: true,
        test: {
          name: "core",
          include: ["**/*.test.ts"],
          exclude: [...exclude, ...PURE, "server/**"],
        },
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
    sequence: {
      shuffle,
      seed,
      ...(shuffle ? { sequencer: longFirstSequencer(LONG_SUITES) } : {}),
    },
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
