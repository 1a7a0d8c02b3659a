/**
 * The campaign editor's benchmark, on Chromium through Playwright, against a production build
 * (`next build`, in `.next` or OUTFLOW_DIST_DIR) served by `next start` on a throwaway embedded
 * database:
 *
 * - ready: time from navigation start to an interactive canvas: every card mounted and
 *   measured, and the next frame painted (in-page `performance.now()`, so it includes the server
 *   render, hydration and React Flow's measuring);
 * - panning: frames per second while the mouse drags the canvas for two seconds, and the 95th
 *   percentile and longest frame.
 *
 * A 200-step graph and a 5-step graph are measured in the same run, alternating, and the
 * medians compared: the editor should open and pan a big campaign about as well as a small one.
 *
 *   import { runEditorBench } from "./editor";
 *   const figures = await runEditorBench({ rounds: 3, log: console.log });
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import type { DraftGraph } from "@/workflows/graph/index";
import { defaultConfig, type NodeKind } from "@/workflows/nodes/index";

export interface EditorBenchOptions {
  /** Measured rounds per graph (after one warm-up round each). */
  rounds?: number;
  /** Seconds of panning per measurement. */
  panSeconds?: number;
  /** An app already running (signed-up users are created in it); else one is started. */
  baseUrl?: string;
  port?: number;
  chromiumPath?: string;
  log?: (line: string) => void;
}

export interface GraphFigures {
  steps: number;
  connections: number;
  /** Medians over the rounds. */
  readyMs: number;
  panFps: number;
  panP95FrameMs: number;
  panLongestFrameMs: number;
  rounds: Array<{ readyMs: number; panFps: number; p95FrameMs: number; longestFrameMs: number }>;
}

export interface EditorBenchResult {
  large: GraphFigures;
  small: GraphFigures;
  /** large ÷ small ready time: 1 means a 200-step campaign opens as fast as a 5-step one. */
  readyRatio: number;
  /** large ÷ small panning frame rate: 1 means no slower. */
  fpsRatio: number;
  options: { rounds: number; panSeconds: number; viewport: { width: number; height: number } };
}

const VIEWPORT = { width: 1600, height: 1000 };
const PASSWORD = "bench-editor-password-42";

/**
 * A valid graph of exactly `steps` steps. Small ones are a chain (start → visit → connect →
 * wait → end for 5); big ones are start → visit → follow → wait, then blocks of five (connect,
 * if accepted, message, wait, end) each hanging off the previous block's "Not accepted", then a
 * last end, laid out on a grid so the whole graph fits the screen.
 */
export function benchGraph(steps: number): DraftGraph {
  const nodes: DraftGraph["nodes"] = [];
  const edges: DraftGraph["edges"] = [];
  const add = (id: string, kind: NodeKind, column: number, row: number) =>
    nodes.push({
      id,
      kind,
      position: { x: column * 300, y: row * 170 },
      config: kind === "end" ? { outcome: "finished" } : defaultConfig(kind),
    });
  const link = (source: string, handle: string, target: string) =>
    edges.push({ id: `${source}-${handle}`, source, sourceHandle: handle, target });
  if (steps < 10) {
    const chain: NodeKind[] = [
      "start",
      "visit",
      "connect",
      "wait",
      "follow",
      "wait",
      "visit",
      "follow",
      "wait",
    ];
    const kinds = [...chain.slice(0, Math.max(1, steps - 1)), "end" as const];
    kinds.forEach((kind, index) => {
      add(`step-${index}`, kind, 0, index);
      if (index > 0) link(`step-${index - 1}`, "next", `step-${index}`);
    });
    return { schemaVersion: 2, nodes, edges };
  }
  if ((steps - 5) % 5 !== 0) throw new Error("big bench graphs have 5 + 5 × n steps");
  add("start", "start", 0, 0);
  add("visit", "visit", 1, 0);
  add("follow", "follow", 2, 0);
  add("pause", "wait", 3, 0);
  link("start", "next", "visit");
  link("visit", "next", "follow");
  link("follow", "next", "pause");
  let previous = { id: "pause", handle: "next" };
  const blocks = (steps - 5) / 5;
  for (let block = 0; block < blocks; block += 1) {
    const column = (block % 8) * 2;
    const row = Math.floor(block / 8) * 4 + 1;
    const ids = ["connect", "accepted", "thanks", "wait", "done"].map((name) => `${name}-${block}`);
    const [connect, accepted, thanks, wait, done] = ids as [string, string, string, string, string];
    add(connect, "connect", column, row);
    add(accepted, "if_accepted", column, row + 1);
    add(thanks, "message", column, row + 2);
    add(wait, "wait", column + 1, row + 2);
    add(done, "end", column + 1, row + 3);
    link(previous.id, previous.handle, connect);
    link(connect, "next", accepted);
    link(accepted, "yes", thanks);
    link(thanks, "next", wait);
    link(wait, "next", done);
    previous = { id: accepted, handle: "no" };
  }
  add("last", "end", 4, 0);
  link(previous.id, previous.handle, "last");
  return { schemaVersion: 2, nodes, edges };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function waitForServer(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The app did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function startApp(port: number, log: (line: string) => void) {
  const dataRoot = mkdtempSync(path.join(tmpdir(), "outflow-bench-editor-"));
  const baseUrl = `http://localhost:${port}`;
  const server: ChildProcess = spawn("node_modules/.bin/next", ["start", "-p", String(port)], {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      OUTFLOW_DATA_DIR: path.join(dataRoot, "pglite"),
      BETTER_AUTH_URL: baseUrl,
      BETTER_AUTH_SECRET: "outflow-bench-secret-0123456789abcdef",
      DATABASE_URL: "",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  server.stderr?.on("data", (chunk) => {
    errors += String(chunk);
  });
  try {
    await waitForServer(`${baseUrl}/sign-in`, 120_000);
  } catch (error) {
    server.kill("SIGTERM");
    throw new Error(`${(error as Error).message}\n${errors.slice(-2000)}`);
  }
  log(`editor bench: app on ${baseUrl} (build in ${process.env.OUTFLOW_DIST_DIR ?? ".next"})`);
  return {
    baseUrl,
    stop: async () => {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}

/** Signs a user up and creates one draft campaign per graph; answers their editor paths. */
async function prepare(page: Page, graphs: DraftGraph[]): Promise<string[]> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Bench Editor");
  await page.getByLabel("Work email").fill(`bench-${Date.now().toString(36)}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/campaigns$/);
  const account = await page.request.post("/api/accounts", {
    data: { name: "Bench seat", timeZone: "Europe/Paris" },
  });
  if (account.status() !== 201)
    throw new Error(`account: ${account.status()} ${await account.text()}`);
  const accountId = (await account.json()).id as string;
  const paths: string[] = [];
  for (const graph of graphs) {
    const created = await page.request.post("/api/campaigns", {
      data: {
        name: `Bench ${graph.nodes.length} steps`,
        graph,
        draft: true,
        accountIds: [accountId],
      },
    });
    if (created.status() !== 201)
      throw new Error(`campaign: ${created.status()} ${await created.text()}`);
    paths.push(`/campaigns/${(await created.json()).id}/edit`);
  }
  return paths;
}

/** Opens the editor and answers the in-page time at which the canvas became interactive. */
async function measureReady(page: Page, editorPath: string, steps: number): Promise<number> {
  await page.goto(editorPath, { waitUntil: "commit" });
  const handle = await page.waitForFunction(
    `(() => {
      const cards = document.querySelectorAll(".react-flow__node");
      if (cards.length !== ${steps}) return false;
      for (const card of cards) {
        if (card.offsetWidth === 0 || getComputedStyle(card).visibility === "hidden") return false;
      }
      return true;
    })()`,
    undefined,
    { polling: "raf", timeout: 60_000 },
  );
  await handle.dispose();
  // Interactive: the page paints the next frame.
  return (await page.evaluate(
    "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))))",
  )) as number;
}

/** Drags the empty canvas back and forth and records every frame's duration meanwhile. */
async function measurePan(page: Page, seconds: number) {
  const box = await page.locator(".react-flow__pane").boundingBox();
  if (!box) throw new Error("no canvas to pan");
  // Strings, not functions: the TypeScript runner may wrap named functions in helpers that do
  // not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  })()`);
  // The left edge of the pane is empty (fit view leaves padding around the cards).
  const x = box.x + 8;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const started = Date.now();
  let step = 0;
  while (Date.now() - started < seconds * 1000) {
    step += 1;
    const offset = Math.sin(step / 20) * 300;
    await page.mouse.move(x + 300 + offset, y + offset / 3);
    await new Promise((resolve) => setTimeout(resolve, 8));
  }
  await page.mouse.up();
  const frames = (await page.evaluate("window.__recording = false, window.__frames")) as number[];
  const measured = frames.slice(1);
  const total = measured.reduce((sum, frame) => sum + frame, 0);
  const sorted = [...measured].sort((a, b) => a - b);
  return {
    fps: total > 0 ? (measured.length * 1000) / total : 0,
    p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    longestFrameMs: sorted.at(-1) ?? 0,
  };
}

export async function runEditorBench(options: EditorBenchOptions = {}): Promise<EditorBenchResult> {
  const rounds = Math.max(1, options.rounds ?? 3);
  const panSeconds = options.panSeconds ?? 2;
  const log = options.log ?? (() => {});
  const app = options.baseUrl
    ? { baseUrl: options.baseUrl, stop: async () => {} }
    : await startApp(options.port ?? 3399, log);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const context = await browser.newContext({ baseURL: app.baseUrl, viewport: VIEWPORT });
    const page = await context.newPage();
    const graphs = { large: benchGraph(200), small: benchGraph(5) };
    const [largePath, smallPath] = await prepare(page, [graphs.large, graphs.small]);
    const runs = {
      large: [] as GraphFigures["rounds"],
      small: [] as GraphFigures["rounds"],
    };
    // One warm-up each (compiles nothing in production, but fills caches), then alternate.
    for (let round = 0; round <= rounds; round += 1) {
      for (const size of ["large", "small"] as const) {
        const graph = graphs[size];
        const readyMs = await measureReady(
          page,
          size === "large" ? largePath! : smallPath!,
          graph.nodes.length,
        );
        const pan = await measurePan(page, panSeconds);
        if (round === 0) continue;
        runs[size].push({
          readyMs,
          panFps: pan.fps,
          p95FrameMs: pan.p95FrameMs,
          longestFrameMs: pan.longestFrameMs,
        });
        log(
          `editor bench: ${graph.nodes.length} steps, round ${round}: ready ${readyMs.toFixed(0)} ms, ` +
            `panning ${pan.fps.toFixed(1)} fps (p95 frame ${pan.p95FrameMs.toFixed(1)} ms)`,
        );
      }
    }
    const figures = (size: "large" | "small"): GraphFigures => ({
      steps: graphs[size].nodes.length,
      connections: graphs[size].edges.length,
      readyMs: median(runs[size].map((run) => run.readyMs)),
      panFps: median(runs[size].map((run) => run.panFps)),
      panP95FrameMs: median(runs[size].map((run) => run.p95FrameMs)),
      panLongestFrameMs: median(runs[size].map((run) => run.longestFrameMs)),
      rounds: runs[size],
    });
    const large = figures("large");
    const small = figures("small");
    return {
      large,
      small,
      readyRatio: large.readyMs / small.readyMs,
      fpsRatio: large.panFps / small.panFps,
      options: { rounds, panSeconds, viewport: VIEWPORT },
    };
  } finally {
    await browser?.close();
    await app.stop();
  }
}
