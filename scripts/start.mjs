#!/usr/bin/env node
// `npm start`: builds the app, then serves it on PORT (default 3000) with the embedded
// database (PGlite in ./.data unless DATABASE_URL is set), the in-process engine and the
// sandbox LinkedIn. Ctrl-C stops the server.
import { spawn, spawnSync } from "node:child_process";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = process.env.PORT ?? "3000";
env.BETTER_AUTH_URL ??= `http://localhost:${port}`;

if (process.env.OUTFLOW_SKIP_BUILD !== "1") {
  console.log("[outflow] building the app (next build)…");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

console.log(`[outflow] starting on http://localhost:${port}`);
// scripts/serve.mjs is `next start` with client addresses taken from the connection.
const server = spawn(process.execPath, ["scripts/serve.mjs"], {
  stdio: "inherit",
  env: { ...env, PORT: port },
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
