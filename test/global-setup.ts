import type { TestProject } from "vitest/node";

// Runs once per vitest run, before any test file.
export default function globalSetup(project: TestProject) {
  // Once per run, not once per project (vitest.config.ts).
  if (process.env.OUTFLOW_TEST_RUN_ANNOUNCED) return;
  process.env.OUTFLOW_TEST_RUN_ANNOUNCED = "1";
  const { shuffle, seed } = project.config.sequence;
  if (shuffle) {
    const what = shuffle === true || shuffle.tests ? "files and tests" : "files";
    console.log(
      `\n[outflow] ${what} run in a shuffled order, seed ${seed} (replay: VITEST_SEED=${seed}).\n`,
    );
  }
  if (!process.env.TEST_DATABASE_URL) {
    console.log(
      "\n[outflow] PostgreSQL suite skipped: TEST_DATABASE_URL is not set (integration tests ran on PGlite only).\n",
    );
  }
}
