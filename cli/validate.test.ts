import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { starterTemplates } from "../workflows/templates/index";
import type { CommandIo } from "./command";
import { runCli } from "./run";

const binary = path.resolve(import.meta.dirname, "../bin/outflow.mjs");
const directory = mkdtempSync(path.join(tmpdir(), "outflow-cli-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function fileWith(name: string, content: string): string {
  const file = path.join(directory, name);
  writeFileSync(file, content);
  return file;
}

const validGraph = JSON.stringify(starterTemplates[0]!.graph);
const invalidGraph = JSON.stringify({ ...starterTemplates[0]!.graph, edges: [] });

function outflow(...args: string[]) {
  return outflowIn(process.cwd(), ...args);
}

function outflowIn(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [binary, ...args], { encoding: "utf8", cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs a command in-process with captured output. */
async function runInProcess(args: string[], files: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (text) => {
      stdout += `${text}\n`;
    },
    stderr: (text) => {
      stderr += `${text}\n`;
    },
    readFile: async (file) => {
      if (!Object.hasOwn(files, file))
        throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return files[file]!;
    },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe("outflow validate (as a process)", () => {
  it("exits 0 for a graph that can be published", () => {
    const run = outflow("validate", fileWith("valid.json", validGraph));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0 errors, 0 warnings; ready to publish.");
  });

  it("runs from any folder, not only the project's (path aliases, migrations)", () => {
    const example = path.resolve("examples/simulations/connect-then-follow-up.json");
    const run = outflowIn(tmpdir(), "simulate", example, "--leads", "2", "--days", "1", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).run.leads).toBe(2);
  }, 60_000);

  it("exits 1 and lists the problems for a graph with errors", () => {
    const run = outflow("validate", fileWith("invalid.json", invalidGraph));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("publishing is blocked");
    expect(run.stdout).toContain("[open_exit]");
  });

  it("exits 2 with a clear message for a file that is not a graph", () => {
    const notJson = outflow("validate", fileWith("notes.txt", "hello"));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("is not valid JSON");
    const notGraph = outflow("validate", fileWith("list.json", "[1, 2]"));
    expect(notGraph.code).toBe(2);
    expect(notGraph.stderr).toContain("not a campaign graph");
  });

  it("exits 2 for a missing file", () => {
    const run = outflow("validate", path.join(directory, "missing.json"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the file does not exist");
  });

  it("prints machine-readable diagnostics with --json", () => {
    const run = outflow("validate", "--json", fileWith("invalid-json.json", invalidGraph));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ isGraph: true, ok: false });
    expect(report.errorCount).toBe(report.diagnostics.length);
    expect(report.diagnostics[0]).toMatchObject({ severity: "error", code: "unreachable_node" });
  });

  it("prints usage and exits 2 for an unknown command", () => {
    const run = outflow("simulate-everything");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown command “simulate-everything”");
    expect(run.stderr).toContain("Usage: outflow <command>");
  });
});

describe("outflow validate (in process)", () => {
  it("prints usage and exits 2 without a file or with an unknown option", async () => {
    expect((await runInProcess(["validate"])).code).toBe(2);
    expect((await runInProcess(["validate", "g.json", "--colour"])).code).toBe(2);
  });

  it("checks custom fields against --custom-fields", async () => {
    const graph = structuredClone(starterTemplates[0]!.graph);
    const thanks = graph.nodes.find((node) => node.id === "thanks");
    if (thanks?.kind !== "message") throw new Error("template changed");
    thanks.config.variants[0]!.text = "About {{custom.industry}}";
    const files = { "g.json": JSON.stringify(graph) };
    expect((await runInProcess(["validate", "g.json"], files)).code).toBe(0);
    const run = await runInProcess(["validate", "g.json", "--custom-fields", "budget"], files);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("[unknown_template_variable]");
  });

  it("reports an unreadable file as JSON too when --json is given", async () => {
    const run = await runInProcess(["validate", "--json", "nope.json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ isGraph: false, ok: false });
  });

  it("shows help on request and exits 0", async () => {
    const run = await runInProcess(["help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("validate <graph.json>");
  });
});
