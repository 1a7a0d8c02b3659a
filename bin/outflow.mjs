#!/usr/bin/env node
import { register } from "tsx/esm/api";

register();
// Imported after register() so that tsx can load the TypeScript sources.
await import("../cli/main.ts");
