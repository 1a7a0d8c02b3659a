#!/usr/bin/env node
import { register as registerHooks } from "node:module";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

// The project's tsconfig (for its path aliases) and migrations, wherever the command runs from.
const project = (relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));
process.env.OUTFLOW_MIGRATIONS_DIR ??= project("db/migrations");
register({ tsconfig: project("tsconfig.json") });
registerHooks("./server-only-hook.mjs", import.meta.url);
// Imported after register() so that tsx can load the TypeScript sources.
await import("../cli/main.ts");
