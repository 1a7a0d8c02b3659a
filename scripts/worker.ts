// `npm run worker`: the engine alone, for PostgreSQL deployments. Run as many as you like, on
// as many machines: they share the work through the database's row locks.
import { configFromEnv, openDatabase } from "@/db/client";
import { startEngineRuntime } from "@/server/runtime/engine-runtime";

const config = configFromEnv();
if (config.kind !== "postgres") {
  console.error(
    "[outflow worker] set DATABASE_URL to a PostgreSQL database. On the embedded database the engine runs inside `npm start`.",
  );
  process.exit(2);
}
const handle = await openDatabase(config);
const runtime = startEngineRuntime(handle, {
  timeScale: Number(process.env.OUTFLOW_TIME_SCALE ?? 1),
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await runtime.stop();
    await handle.close();
    process.exit(0);
  });
}
