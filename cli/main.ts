/** Entry point of the `outflow` command (bin/outflow.mjs loads it through tsx). */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { type CommandIo, EXIT_CODES } from "./command";
import { runCli } from "./run";

const io: CommandIo = {
  stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  readFile: (path) => readFile(path, "utf8"),
  readLines: () => createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
};

try {
  // exitCode rather than exit(): lets pending output drain before the process ends.
  process.exitCode = await runCli(process.argv.slice(2), io);
} catch (error) {
  // A crash must not exit with 1, which means "the graph has errors".
  io.stderr(`outflow: unexpected failure: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = EXIT_CODES.unusable;
}
