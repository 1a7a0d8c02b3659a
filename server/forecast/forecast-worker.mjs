// Loads the forecast job's TypeScript in a worker thread (see forecast-workers.ts).
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./forecast-job.ts");
