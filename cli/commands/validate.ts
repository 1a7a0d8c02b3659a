/** `outflow validate <graph.json>`: checks a campaign graph the way publishing does. */
import { parseArgs } from "node:util";
import { type Diagnostic, validateGraph } from "../../workflows/graph/index";
import { type Command, type CommandIo, EXIT_CODES } from "../command";

const USAGE = "validate <graph.json> [--json] [--custom-fields name,name]";

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function whereOf(diagnostic: Diagnostic): string {
  // A connection problem names its steps in the message; the connection id locates it.
  if (diagnostic.edgeId !== undefined) return `connection “${diagnostic.edgeId}”`;
  if (diagnostic.nodeId !== undefined) return `step “${diagnostic.nodeId}”`;
  return "graph";
}

function formatDiagnostic(diagnostic: Diagnostic): string {
  const severity = diagnostic.severity === "error" ? "error  " : "warning";
  return `  ${severity}  ${whereOf(diagnostic)}: ${diagnostic.message} [${diagnostic.code}]`;
}

function readArguments(args: readonly string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { json: { type: "boolean" }, "custom-fields": { type: "string" } },
    });
    if (positionals.length !== 1) return null;
    const customFields = values["custom-fields"];
    return {
      file: positionals[0]!,
      json: values.json === true,
      knownCustomFields:
        customFields === undefined
          ? undefined
          : customFields
              .split(",")
              .map((field) => field.trim())
              .filter((field) => field !== ""),
    };
  } catch {
    return null;
  }
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "the file does not exist";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : "unknown error";
}

/** Exit 2 with one clear sentence: the input is not something we can validate. */
function unusable(io: CommandIo, json: boolean, file: string, message: string): number {
  if (json) io.stdout(JSON.stringify({ file, isGraph: false, ok: false, error: message }));
  else io.stderr(`outflow validate: ${message}`);
  return EXIT_CODES.unusable;
}

export const validateCommand: Command = {
  name: "validate",
  summary: "Check a campaign graph; exit 0 when it can be published, 1 when it has errors",
  usage: USAGE,
  async run(args, io) {
    const options = readArguments(args);
    if (options === null) {
      io.stderr(`Usage: outflow ${USAGE}`);
      return EXIT_CODES.unusable;
    }
    const { file, json } = options;
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (error) {
      return unusable(io, json, file, `cannot read ${file}: ${describeReadError(error)}.`);
    }
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "invalid JSON";
      return unusable(io, json, file, `${file} is not a graph: it is not valid JSON (${reason}).`);
    }
    const result = validateGraph(input, { knownCustomFields: options.knownCustomFields });
    if (!result.isGraph) {
      const reason = result.diagnostics[0]?.message ?? "unreadable graph";
      return unusable(io, json, file, `${file}: ${reason}`);
    }
    if (json) {
      io.stdout(
        JSON.stringify(
          {
            file,
            isGraph: true,
            ok: result.ok,
            errorCount: result.errors.length,
            warningCount: result.warnings.length,
            diagnostics: result.diagnostics,
          },
          null,
          2,
        ),
      );
    } else {
      const counts = `${plural(result.errors.length, "error")}, ${plural(result.warnings.length, "warning")}`;
      const verdict = result.ok ? "ready to publish" : "publishing is blocked";
      const lines = [
        `${file}: ${counts}; ${verdict}.`,
        ...result.diagnostics.map(formatDiagnostic),
      ];
      io.stdout(lines.join("\n"));
    }
    return result.ok ? EXIT_CODES.ok : EXIT_CODES.problems;
  },
};
