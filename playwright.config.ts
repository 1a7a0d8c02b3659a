import path from "node:path";
import { defineConfig } from "@playwright/test";

const ACCELERATED = /(dashboard|inbox)\.spec\.ts$/;
const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://localhost:${PORT}`;
// A data directory of its own per run: never the developer's, never a previous run's.
const DATA_DIR = path.resolve(`.test-data/e2e-${process.env.E2E_RUN_ID ?? Date.now()}/pglite`);

export default defineConfig({
  testDir: "./e2e",
  // Two spec files at a time (the tests inside a file run in order): most of a spec's time is
  // spent waiting on the server, and the accelerated-clock specs (dashboard, inbox) wait for
  // virtual days whatever the other worker does, since their clocks wait for the engine.
  // E2E_WORKERS=1 runs one file at a time.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // The specs on an accelerated clock wait for virtual days (a minute or two each): listed first,
  // they start at once, one on each worker, and the short specs fill in beside them.
  projects: [
    { name: "accelerated", testMatch: ACCELERATED, use: { browserName: "chromium" } },
    { name: "chromium", testIgnore: ACCELERATED, use: { browserName: "chromium" } },
  ],
  webServer: {
    // Runs the production build made by the test command just before, on a data directory
    // first seeded for e2e/credits.spec.ts (the other specs sign up users of their own).
    command: `node_modules/.bin/tsx --conditions=react-server e2e/seed/credits.ts && PORT=${PORT} node scripts/serve.mjs`,
    url: `${BASE_URL}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      // Every spec signs up users of its own from one address, more than the sign-up limit
      // allows in a minute; the limits themselves are tested in
      // server/workspaces/workspaces.test.ts.
      OUTFLOW_DISABLE_RATE_LIMIT: "1",
      // e2e/unipile.spec.ts's fake Unipile listens on plain http on this machine.
      OUTFLOW_ALLOW_LOCAL_DSN: "1",
      OUTFLOW_DATA_DIR: DATA_DIR,
      BETTER_AUTH_URL: BASE_URL,
      BETTER_AUTH_SECRET: "outflow-e2e-secret-0123456789abcdef",
      // 32 bytes, base64: lets the browser tests store Unipile credentials (e2e/unipile.spec.ts).
      OUTFLOW_ENCRYPTION_KEY: "b3V0Zmxvdy1lMmUtZW5jcnlwdGlvbi1rZXktMzJieXQ=",
    },
  },
});
