import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/**
 * A test's child process entry (test/crash-worker.ts, test/shared-clock-worker.ts) bundled once
 * into one plain ES module, so that each child starts with `node <bundle>`: no TypeScript
 * loader compiling the project's sources in every process. The crash test starts a worker more
 * than fifty times; under tsx each start cost over a second of CPU before the first query.
 * Packages stay imports (resolved from node_modules as usual); only the project's own files
 * are bundled. The bundle is named by a hash of the inputs it was built from, so a changed
 * source never runs an old bundle.
 */
export async function bundleScript(entry: string): Promise<string> {
  const outdir = path.resolve(".test-data/bundles");
  mkdirSync(outdir, { recursive: true });
  const built = await build({
    entryPoints: [path.resolve(entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // The `server-only` marker of server/ and db/ is for Next.js; a child process is not one.
    alias: { "server-only": path.resolve("node_modules/server-only/empty.js") },
    tsconfig: path.resolve("tsconfig.json"),
    write: false,
    logLevel: "warning",
  });
  const code = built.outputFiles[0]!.contents;
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const file = path.join(outdir, `${path.basename(entry, ".ts")}-${hash}.mjs`);
  if (!existsSync(file)) {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  }
  return file;
}
