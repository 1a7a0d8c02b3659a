/**
 * The priorities part of `npm run bench`: what turning a seat's `priorities` on costs the
 * engine. The same simulated runs (the real engine on a virtual clock against the sandbox), with
 * priorities on and off, alternating: engine steps (claimed leads walked until they sleep),
 * loop iterations and wall time, in memory and on an embedded database (PGlite).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { prepareSimulation, runSimulation } from "@/db/engine/simulation";
import { action } from "@/db/schema/index";
import {
  type CampaignFileInput,
  CampaignFileSchema,
  resolveCampaignFile,
} from "@/workflows/simulation/campaign-file";
import { prepareMemoryRun, runMemory } from "@/workflows/simulation/memory-run";

export interface PrioritiesBenchOptions {
  /** Leads of the one-campaign run. */
  leads: number;
  /** Alternating on/off pairs per scenario and store. */
  rounds: number;
  /** Also run each scenario on PGlite (about a hundred times slower than memory). */
  database: boolean;
  log: (line: string) => void;
}

export interface PrioritiesRow {
  scenario: string;
  store: "memory" | "PGlite";
  priorities: boolean;
  steps: number;
  iterations: number;
  sends: number;
  /** Median wall time of the rounds, ms. */
  ms: number;
}

const example = (name: string): CampaignFileInput =>
  JSON.parse(readFileSync(path.resolve("examples/simulations", name), "utf8"));

function withPriorities(file: CampaignFileInput, on: boolean): CampaignFileInput {
  return { ...file, accounts: file.accounts.map((a) => ({ ...a, priorities: on })) };
}

function scenarios(leads: number): Array<{ name: string; file: CampaignFileInput }> {
  return [
    {
      name: `connect-then-follow-up, ${leads} leads, 2 seats, 30 days`,
      file: { ...example("connect-then-follow-up.json"), leads: { count: leads } },
    },
    {
      name: "a 40-lead campaign, then a 1,000-lead launch on its seat, 14 days",
      file: example("several/second-launch.json"),
    },
  ];
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runOnce(file: CampaignFileInput, store: "memory" | "PGlite") {
  const spec = resolveCampaignFile(CampaignFileSchema.parse(file));
  const began = performance.now();
  if (store === "memory") {
    const run = await prepareMemoryRun(spec);
    const { steps, iterations } = await runMemory(run);
    const sends = [...run.db.actions.values()].filter((a) => a.status === "sent").length;
    return { steps, iterations, sends, ms: performance.now() - began };
  }
  const handle = await openDatabase({ kind: "pglite-memory" });
  try {
    const run = await prepareSimulation(handle, spec);
    const { steps, iterations } = await runSimulation(handle, run);
    const rows = await handle.db.select({ status: action.status }).from(action);
    const sends = rows.filter((a) => a.status === "sent").length;
    return { steps, iterations, sends, ms: performance.now() - began };
  } finally {
    await handle.close();
  }
}

export async function runPrioritiesBench(
  options: PrioritiesBenchOptions,
): Promise<PrioritiesRow[]> {
  const rows: PrioritiesRow[] = [];
  const stores: Array<"memory" | "PGlite"> = options.database ? ["memory", "PGlite"] : ["memory"];
  for (const { name, file } of scenarios(options.leads)) {
    for (const store of stores) {
      const results = new Map<boolean, Array<Awaited<ReturnType<typeof runOnce>>>>([
        [false, []],
        [true, []],
      ]);
      for (let round = 0; round < options.rounds; round++) {
        // Alternate which setting goes first, so warm-up and load drift fall on both.
        for (const on of round % 2 === 0 ? [false, true] : [true, false]) {
          const result = await runOnce(withPriorities(file, on), store);
          results.get(on)!.push(result);
          options.log(
            `priorities: ${name} on ${store}, priorities ${on ? "on" : "off"}: ${result.steps} steps, ${Math.round(result.ms)} ms`,
          );
        }
      }
      for (const [on, runs] of results) {
        rows.push({
          scenario: name,
          store,
          priorities: on,
          steps: runs[0]!.steps,
          iterations: runs[0]!.iterations,
          sends: runs[0]!.sends,
          ms: median(runs.map((r) => r.ms)),
        });
      }
    }
  }
  return rows;
}

export function formatPrioritiesBench(rows: PrioritiesRow[]): string {
  const lines = [
    "",
    "Priorities on against off (the same runs; steps and sends are exact, time the median):",
  ];
  for (const row of rows) {
    lines.push(
      `  ${row.scenario} — ${row.store}, priorities ${row.priorities ? "on " : "off"}: ` +
        `${row.steps.toLocaleString("en-US")} steps, ${row.iterations.toLocaleString("en-US")} iterations, ` +
        `${row.sends.toLocaleString("en-US")} sends, ${Math.round(row.ms).toLocaleString("en-US")} ms`,
    );
  }
  return lines.join("\n");
}
