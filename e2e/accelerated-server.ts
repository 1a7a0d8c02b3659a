import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

/**
 * A production server of a spec's own on an accelerated clock (one virtual hour a second by
 * default), so that the other specs keep the real clock.
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
