// Runs once per vitest run, before any test file. (Vitest prints the shuffle's seed itself:
// `Running tests with seed "N"`, which VITEST_SEED=N replays.)
export default function globalSetup() {
  // Once per run, not once per project (vitest.config.ts).
  if (process.env.OUTFLOW_TEST_RUN_ANNOUNCED) return;
  process.env.OUTFLOW_TEST_RUN_ANNOUNCED = "1";
  if (!process.env.TEST_DATABASE_URL) {
    console.log(
      "\n[outflow] PostgreSQL suite skipped: TEST_DATABASE_URL is not set (integration tests ran on PGlite only).\n",
    );
  }
}
