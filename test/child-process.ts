import { spawn } from "node:child_process";

/**
 * Runs a TypeScript script in a child Node process (through tsx) and waits for it to end, with
 * its exit code, the signal that killed it (SIGKILL in the crash tests) and its output.
 */
export function runScript(script: string, args: string[]) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve) => {
      // react-server: the `server-only` marker of server/ and db/ resolves to nothing, as in Next.js.
      const child = spawn(
        process.execPath,
        ["--conditions=react-server", "--import", "tsx", script, ...args],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on("exit", (code, signal) => resolve({ code, signal, out }));
    },
  );
}
