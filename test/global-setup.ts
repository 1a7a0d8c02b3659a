// Runs once per vitest run, before any test file.
export default function globalSetup() {
  if (!process.env.TEST_DATABASE_URL) {
    console.log(
      "\n[outflow] PostgreSQL suite skipped: TEST_DATABASE_URL is not set (integration tests ran on PGlite only).\n",
    );
  }
}
