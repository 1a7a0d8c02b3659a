import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_KINDS } from "../workflows/nodes/index";
import type { SimulationTrace } from "../workflows/simulation/trace";
import {
  TRACE_ACTION_KINDS,
  TRACE_ACTION_OUTCOMES,
  TRACE_CAP_KINDS,
  TRACE_EVENT_TYPES,
  TRACE_LEDGER_TYPES,
} from "../workflows/simulation/trace";
import { starterTemplates } from "../workflows/templates/index";
import type { CommandIo } from "./command";
import { runCli } from "./run";

const root = path.resolve(import.meta.dirname, "..");
const binary = path.join(root, "bin/outflow.mjs");
const example = (name: string) => path.join(root, "examples/simulations", name);
const directory = mkdtempSync(path.join(tmpdir(), "outflow-simulate-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function fileWith(name: string, content: unknown): string {
  const file = path.join(directory, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** `outflow …` as a separate process. */
function outflow(...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [binary, ...args], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `outflow …` in this process, reading real files, with the output captured. */
async function inProcess(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (text) => {
      stdout += text.endsWith("\n") ? text : `${text}\n`;
    },
    stderr: (text) => {
      stderr += text.endsWith("\n") ? text : `${text}\n`;
    },
    readFile: (file) => readFile(file, "utf8"),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe("outflow simulate --json on the connect-then-inmail example", () => {
  const args = [
    "simulate",
    example("connect-then-inmail.json"),
    "--leads",
    "20",
    "--days",
    "14",
    "--json",
  ];
  let spawned: Awaited<ReturnType<typeof outflow>>;
  let local: Awaited<ReturnType<typeof inProcess>>;
  let trace: SimulationTrace;

  beforeAll(async () => {
    // The same run twice at once: as a process, and in this one.
    [spawned, local] = await Promise.all([outflow(...args), inProcess(...args)]);
    trace = JSON.parse(spawned.stdout);
  }, 240_000);

  it("exits 0 and prints nothing but the JSON trace on stdout", () => {
    expect({ code: spawned.code, stderr: spawned.stderr }).toMatchObject({ code: 0 });
    expect(spawned.stdout.trim().startsWith("{")).toBe(true);
    expect(trace.run).toMatchObject({ leads: 20, days: 14, seed: "outflow" });
  });

  it("gives identical output for the same file, flags and seed", () => {
    expect(local.code).toBe(0);
    expect(local.stdout).toBe(spawned.stdout);
  });

  it("describes the accounts as the file does", () => {
    expect(trace.accounts).toEqual([
      {
        id: "acct-london",
        timeZone: "Europe/London",
        workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:30" },
        warmupStart: null,
        pool: "pool",
      },
      {
        id: "acct-san-francisco",
        timeZone: "America/Los_Angeles",
        workingHours: { days: [1, 2, 3, 4, 5], start: "08:00", end: "17:00" },
        warmupStart: "2026-02-23",
        pool: "pool",
      },
    ]);
  });

  it("lists every action with its time, account, lead, step, kind, branch, outcome and credits", () => {
    const accounts = trace.accounts.map((a) => a.id);
    const nodes = starterTemplates
      .find((t) => t.id === "connect-then-inmail")!
      .graph.nodes.map((n) => n.id);
    expect(trace.actions.length).toBeGreaterThan(20);
    for (const action of trace.actions) {
      expect(action.at).toMatch(ISO_UTC);
      expect(accounts).toContain(action.account);
      expect(action.lead).toMatch(/^lead-\d{4}$/);
      expect(nodes).toContain(action.node);
      expect(TRACE_ACTION_KINDS).toContain(action.kind);
      expect(TRACE_ACTION_OUTCOMES).toContain(action.outcome);
      expect(typeof action.branch).toBe("string");
      expect(action.variant === null || typeof action.variant === "string").toBe(true);
      expect(action.reason === null || typeof action.reason === "string").toBe(true);
      expect(Number.isInteger(action.credits) && action.credits >= 0).toBe(true);
    }
    expect(trace.actions.some((a) => a.kind === "inmail" && a.credits === 1)).toBe(true);
  });

  it("charges the pool exactly the credits its InMail actions show, renewals included", () => {
    const [pool] = trace.pools;
    expect(pool).toMatchObject({
      id: "pool",
      plan: "sales_navigator_core",
      allowance: 50,
      cap: 150,
      renewalDay: 15,
      openingBalance: 40,
      refundPolicy: { type: "none", windowDays: null, delayDays: null },
      accounts: ["acct-london", "acct-san-francisco"],
    });
    const spent = trace.actions.reduce((sum, a) => sum + a.credits, 0);
    const sum = (type: string) =>
      trace.ledger.filter((e) => e.type === type).reduce((t, e) => t + e.amount, 0);
    // Spends net of the holds given back equal the credits the actions show.
    expect(sum("spend") - sum("adjustment") + pool!.openingBalance).toBe(spent);
    // The ledger explains the balance: opening + grants − spends (net) − forfeits + refunds.
    expect(sum("adjustment") - sum("spend") + sum("grant") - sum("forfeit") + sum("refund")).toBe(
      pool!.balance,
    );
    // The 15th of March falls inside the run: one renewal of the allowance, within the cap.
    const grants = trace.ledger.filter((e) => e.type === "grant");
    expect(grants.map((g) => g.at)).toEqual(["2026-03-15T00:00:00.000Z"]);
    expect(grants[0]!.amount + (trace.ledger.find((e) => e.type === "forfeit")?.amount ?? 0)).toBe(
      50,
    );
    for (const entry of trace.ledger) {
      expect(TRACE_LEDGER_TYPES).toContain(entry.type);
      expect(entry.amount).toBeGreaterThan(0);
      if (entry.type === "spend") {
        expect(entry).toMatchObject({ campaign: "campaign", node: "inmail" });
        expect(entry.lead).toMatch(/^lead-\d{4}$/);
      }
    }
  });

  it("lists the inbound events and what the sandbox received, matching the sent actions", () => {
    expect(trace.events.length).toBeGreaterThan(0);
    for (const event of trace.events) {
      expect(event.at).toMatch(ISO_UTC);
      expect(TRACE_EVENT_TYPES).toContain(event.type);
      expect(event.lead).toMatch(/^lead-\d{4}$/);
    }
    const sent = trace.actions.filter((a) => a.outcome === "sent");
    const line = (r: { at: string; account: string; lead: string; node: string | null }) =>
      `${r.at} ${r.account} ${r.lead} ${r.node}`;
    expect(trace.received.map(line).sort()).toEqual(sent.map(line).sort());
    for (const received of trace.received) expect(TRACE_ACTION_KINDS).toContain(received.kind);
  });

  it("lists the caps in force per account and local day, warm-up included", () => {
    for (const cap of trace.caps) {
      expect(cap.date).toMatch(LOCAL_DATE);
      expect(TRACE_CAP_KINDS).toContain(cap.kind);
      expect(Number.isInteger(cap.limit)).toBe(true);
    }
    const limit = (account: string, date: string, kind: string) =>
      trace.caps.find((c) => c.account === account && c.date === date && c.kind === kind)?.limit;
    // 15 days (start day included) × every cap (one per action kind, total, 7-day) × 2 accounts.
    expect(trace.caps).toHaveLength(15 * TRACE_CAP_KINDS.length * 2);
    expect(TRACE_CAP_KINDS).toHaveLength(ACTION_KINDS.length + 2);
    expect(limit("acct-london", "2026-03-02", "connect")).toBe(25);
    // San Francisco started its warm-up a week before the run: 40 % of 25.
    expect(limit("acct-san-francisco", "2026-03-02", "connect")).toBe(10);
  });
});

describe("outflow simulate", () => {
  it("prints a summary: leads per outcome, InMail credits per branch, the pool running out", async () => {
    const file = JSON.parse(readFileSync(example("vip-inmail.json"), "utf8"));
    const run = await inProcess(
      "simulate",
      fileWith("vip-small-pool.json", { ...file, pool: { plan: "premium_business", balance: 3 } }),
      "--leads",
      "6",
      "--days",
      "3",
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Simulated vip-inmail: 6 leads, 2 accounts, 3 days");
    expect(run.stdout).toContain("Leads by outcome (6):");
    expect(run.stdout).toMatch(/InMail not sent\s+\d+/);
    expect(run.stdout).toContain("InMail credits by branch — pool (premium_business): 3 → 0");
    expect(run.stdout).toMatch(
      /Main path › InMail 'An idea for your team'\s+3 credits\s+4 InMails sent \(2 free\), 1 not sent: no credit\s+spent 3, refunded 0\s+0 replies/,
    );
    expect(run.stdout).toContain("Actions sent per day");
    expect(run.stdout).toMatch(/Still running at the end of the run|The campaign finishes/);
  }, 180_000);

  it("exits 1 and lists the errors when the graph cannot run", async () => {
    const graph = { ...starterTemplates[0]!.graph, edges: [] };
    const run = await inProcess(
      "simulate",
      fileWith("broken.json", { graph, accounts: [{ id: "a", timeZone: "UTC" }] }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("has errors; it cannot run");
    expect(run.stderr).toContain("[open_exit]");
  });

  it("exits 2 for a missing file, a file that is not JSON, and one that breaks the schema", async () => {
    const missing = await inProcess("simulate", path.join(directory, "missing.json"), "--json");
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain("the file does not exist");

    const notJson = await inProcess("simulate", fileWith("notes.json", "hello"));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("is not valid JSON");

    const invalid = await inProcess(
      "simulate",
      fileWith("invalid.json", {
        graph: { template: "connect-then-follow-up" },
        accounts: [{ id: "a", timeZone: "Mars/Olympus" }],
      }),
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("is not a valid campaign file");
    expect(invalid.stderr).toContain("accounts[0].timeZone: Unknown IANA time zone");

    const notAGraph = await inProcess(
      "simulate",
      fileWith("not-a-graph.json", {
        graph: { nodes: 3 },
        accounts: [{ id: "a", timeZone: "UTC" }],
      }),
    );
    expect(notAGraph.code).toBe(2);
    expect(notAGraph.stderr).toContain("graph:");
  });

  it("exits 2 with the usage for bad flags", async () => {
    for (const args of [
      ["simulate"],
      ["simulate", "a.json", "b.json"],
      ["simulate", "a.json", "--leads", "0"],
      ["simulate", "a.json", "--days", "2.5"],
      ["simulate", "a.json", "--colour"],
    ]) {
      const run = await inProcess(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain("Usage: outflow simulate <campaign.json>");
    }
  });
});

describe("outflow simulate with several campaigns", () => {
  const accounts = [{ id: "seat", timeZone: "UTC", warmupStart: null, priorities: true }];
  const template = { template: "connect-then-follow-up" };

  it("prints a trace whose every action and lead names its campaign, and why the waiting wait", async () => {
    const file = fileWith("several.json", {
      accounts,
      campaigns: [
        { id: "first", graph: template, leads: { count: 6 } },
        { id: "second", graph: template, leads: { count: 6 }, start: "2026-03-03T08:00:00Z" },
      ],
      script: [{ at: "2026-03-05T12:00:00Z", account: "seat", status: "paused" }],
      days: 7,
    });
    const run = await inProcess("simulate", file, "--json");
    expect(run.code).toBe(0);
    const trace = JSON.parse(run.stdout) as SimulationTrace;
    expect(trace.campaigns.map((c) => [c.id, c.leads])).toEqual([
      ["first", 6],
      ["second", 6],
    ]);
    expect(trace.actions.length).toBeGreaterThan(0);
    for (const action of trace.actions) expect(["first", "second"]).toContain(action.campaign);
    expect(new Set(trace.enrollments.map((e) => e.campaign))).toEqual(new Set(["first", "second"]));
    // The seat is paused from the fifth on: nothing goes after, and the leads say so.
    expect(trace.actions.every((a) => a.at < "2026-03-05T12:00:00.000Z")).toBe(true);
    const active = trace.enrollments.filter((e) => e.state === "active");
    expect(active.length).toBeGreaterThan(0);
    for (const e of active) expect(e.waiting?.text).toMatch(/\S/);
    expect(active.some((e) => e.waiting?.code === "seat_paused")).toBe(true);
  }, 60_000);

  it("names the campaign whose graph cannot run", async () => {
    const broken = { ...starterTemplates[0]!.graph, edges: [] };
    const run = await inProcess(
      "simulate",
      fileWith("several-broken.json", {
        accounts,
        campaigns: [
          { id: "fine", graph: template },
          { id: "broken", graph: broken },
        ],
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("campaign “broken” has errors; it cannot run");
  });
});
