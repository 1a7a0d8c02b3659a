import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A production server of a spec's own on an accelerated clock (one virtual hour a second by
 * default), so that the other specs keep the real clock. Its clock starts at the next Monday,
 * 06:00 UTC, whatever day the run falls on: the demo seat (Monday to Friday from 09:00, in the
 * browser's time zone, UTC here) starts sending a few seconds after the demo is loaded, and no
 * weekend comes in the first four virtual days (without it, a run on a Friday evening waited
 * a virtual weekend first).
 */
export function acceleratedServer(name: string, portOffset: number, timeScale = 3600) {
  const port = Number(process.env.E2E_PORT ?? 3210) + portOffset;
  const baseUrl = `http://localhost:${port}`;
  const dataDir = path.resolve(`.test-data/e2e-${name}-${process.env.E2E_RUN_ID ?? Date.now()}`);
  let server: ChildProcess | undefined;
  return {
    baseUrl,
    timeScale,
    async start(env: Record<string, string> = {}) {
      // The demo clock resumes from the file beside the data directory (server/runtime).
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(
        path.join(dataDir, "clock.json"),
        JSON.stringify({ virtualNow: nextMonday(new Date()).toISOString() }),
      );
      server = spawn("node_modules/.bin/next", ["start", "-p", String(port)], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          OUTFLOW_DIST_DIR: process.env.OUTFLOW_DIST_DIR ?? ".next",
          OUTFLOW_DATA_DIR: path.join(dataDir, "pglite"),
          OUTFLOW_TIME_SCALE: String(timeScale),
          BETTER_AUTH_URL: baseUrl,
          BETTER_AUTH_SECRET: `outflow-e2e-${name}-secret-0123456789`,
          ...env,
        },
        stdio: "ignore",
      });
      const deadline = Date.now() + 120_000;
      for (;;) {
        const up = await fetch(`${baseUrl}/sign-in`)
          .then((response) => response.ok)
          .catch(() => false);
        if (up) return;
        if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
        if (Date.now() > deadline) throw new Error(`the ${name} server did not start on ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async stop() {
      if (server && server.exitCode === null) {
        const exited = new Promise((resolve) => server?.once("exit", resolve));
        server.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      }
    },
  };
}

/** The next Monday, 06:00 UTC, after `now`. */
function nextMonday(now: Date): Date {
  const days = (8 - now.getUTCDay()) % 7 || 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 6));
}
