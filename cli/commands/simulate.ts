/**
 * `outflow simulate <campaign.json>`: runs a campaign with the real engine on a virtual clock
 * against the sandbox world, on the engine's in-memory store (or with --database in a throwaway
 * embedded database: the same trace, much slower), and prints what would happen: a summary, or
 * with --json the full trace (see workflows/simulation/trace.ts).
 */
import { parseArgs } from "node:util";
import { summarizeTrace, traceSimulation } from "../../db/engine/trace";
import { type Diagnostic, validateGraph } from "../../workflows/graph/index";
import {
  CampaignFileSchema,
  type CampaignOverrides,
  describeIssues,
  MAX_DAYS,
  MAX_LEADS,
  resolveCampaignFile,
} from "../../workflows/simulation/campaign-file";
import { simulateInMemory } from "../../workflows/simulation/memory-run";
import { type Command, type CommandIo, EXIT_CODES } from "../command";

const USAGE = "simulate <campaign.json> [--leads N] [--days D] [--seed S] [--json] [--database]";
const DAY_MS = 24 * 60 * 60 * 1000;
/** Progress goes to stderr only once a run has taken this long. */
const QUIET_MS = 2000;

interface Options extends CampaignOverrides {
  file: string;
  json: boolean;
  /** Run on a throwaway embedded database instead of the in-memory store. */
  database: boolean;
}

function wholeNumber(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) {
    throw new Error(`--${flag} takes a whole number from 1 to ${max}, got “${value}”`);
  }
  return number;
}

/** The options, or a sentence saying what is wrong with the command line. */
function readArguments(args: readonly string[]): Options | string {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(args);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return "give exactly one campaign file";
  try {
    const seed = values.seed;
    if (seed !== undefined && seed.trim() === "") return "--seed must not be empty";
    return {
      file: positionals[0]!,
      json: values.json === true,
      database: values.database === true,
      leads: wholeNumber(values.leads, "leads", MAX_LEADS),
      days: wholeNumber(values.days, "days", MAX_DAYS),
      seed,
    };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function parseCommandLine(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      database: { type: "boolean" },
      leads: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
    },
  });
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "the file does not exist";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : "unknown error";
}

function formatDiagnostic(diagnostic: Diagnostic): string {
  const where =
    diagnostic.edgeId !== undefined
      ? `connection “${diagnostic.edgeId}”`
      : diagnostic.nodeId !== undefined
        ? `step “${diagnostic.nodeId}”`
        : "graph";
  const severity = diagnostic.severity === "error" ? "error  " : "warning";
  return `  ${severity}  ${where}: ${diagnostic.message} [${diagnostic.code}]`;
}

/** Day-by-day progress on stderr, for runs long enough that silence would look like a hang. */
function progressReporter(io: CommandIo, start: Date, days: number) {
  const began = Date.now();
  let lastDay = 0;
  const preparing = setTimeout(() => io.stderr("outflow simulate: preparing the run…"), QUIET_MS);
  preparing.unref?.();
  return {
    onPrepared: () => clearTimeout(preparing),
    onProgress: (now: Date) => {
      const day = Math.min(days, Math.floor((now.getTime() - start.getTime()) / DAY_MS) + 1);
      if (day <= lastDay || Date.now() - began < QUIET_MS) return;
      lastDay = day;
      io.stderr(`outflow simulate: day ${day}/${days}`);
    },
    stop: () => clearTimeout(preparing),
  };
}

/** Exit 2 with one clear message: the input is not something we can simulate. */
function unusable(io: CommandIo, message: string): number {
  io.stderr(`outflow simulate: ${message}`);
  return EXIT_CODES.unusable;
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "Run a campaign file on the sandbox with a virtual clock; print a summary or the trace",
  usage: USAGE,
  async run(args, io) {
    const options = readArguments(args);
    if (typeof options === "string") {
      io.stderr(`outflow simulate: ${options}.\nUsage: outflow ${USAGE}`);
      return EXIT_CODES.unusable;
    }
    const { file } = options;
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (error) {
      return unusable(io, `cannot read ${file}: ${describeReadError(error)}.`);
    }
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "invalid JSON";
      return unusable(io, `${file} is not valid JSON (${reason}).`);
    }
    const parsed = CampaignFileSchema.safeParse(input);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error).map((line) => `  ${line}`);
      return unusable(io, [`${file} is not a valid campaign file:`, ...issues].join("\n"));
    }
    const campaign = resolveCampaignFile(parsed.data, options);

    // Each campaign's graph must run; a file of several names the campaign in each message.
    const graphs = campaign.campaigns
      ? campaign.campaigns.map((c) => ({ where: `${file}: campaign “${c.id}”`, graph: c.graph }))
      : [{ where: file, graph: campaign.graph }];
    for (const { where, graph } of graphs) {
      const validation = validateGraph(graph);
      if (!validation.isGraph) {
        const reason = validation.diagnostics[0]?.message ?? "unreadable graph";
        return unusable(io, `${where}: graph: ${reason}`);
      }
      if (!validation.ok) {
        io.stderr(
          [
            `outflow simulate: the graph in ${where} has errors; it cannot run:`,
            ...validation.diagnostics.map(formatDiagnostic),
          ].join("\n"),
        );
        return EXIT_CODES.problems;
      }
      if (validation.warnings.length > 0) {
        io.stderr(
          [
            `outflow simulate: warnings in the graph of ${where}:`,
            ...validation.warnings.map(formatDiagnostic),
          ].join("\n"),
        );
      }
    }

    const progress = progressReporter(io, campaign.start, campaign.days);
    try {
      const trace = options.database
        ? await traceSimulation(campaign, {
            template: campaign.template,
            onPrepared: progress.onPrepared,
            onProgress: progress.onProgress,
          })
        : await simulateInMemory(campaign, {
            template: campaign.template,
            onProgress: (now) => {
              progress.onPrepared();
              progress.onProgress(now);
            },
          });
      io.stdout(options.json ? JSON.stringify(trace, null, 2) : summarizeTrace(trace));
    } finally {
      progress.stop();
    }
    return EXIT_CODES.ok;
  },
};
