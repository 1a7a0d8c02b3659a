/**
 * Forecast of a campaign: its graph (live, or the draft before launch), its seats with their
 * working hours, caps, warm-up and today's usage, its credit pool and budgets, and its leads
 * still in flight (or a number typed before importing), simulated with several seeds in a
 * worker thread on the in-memory engine store against the sandbox. Never real data or
 * providers: the worker gets a copy of the settings and nothing else. "What if" changes the
 * seats, a cap, the lead count or a branch's budget before the run. Acceptance and reply rates
 * are the workspace's own once it has enough settled invitations, the sandbox's defaults before.
 */
import "server-only";

import { createHash } from "node:crypto";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Database, inList, queryRows } from "@/db/client";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import {
  campaignAccount,
  creditPool,
  enrollment,
  lead,
  senderAccount,
  usageCounter,
} from "@/db/schema/index";
import { type CampaignBudgets, parseBudgets } from "@/workflows/credits/budgets";
import type { PlanId } from "@/workflows/credits/plans";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { branchCreditRows } from "@/workflows/credits/report";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { type PacingSettings, PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import type { AnyGraph } from "@/workflows/graph/index";
import {
  SandboxAcceptanceSchema,
  SandboxReplySchema,
} from "@/workflows/providers/sandbox/world-settings";
import type {
  SimulationAccount,
  SimulationLead,
  SimulationSpec,
} from "@/workflows/simulation/assemble";
import { generateLeads, MAX_LEADS } from "@/workflows/simulation/campaign-file";
import { FORECAST_SEEDS, type ForecastSummary } from "@/workflows/simulation/forecast";
import { HttpError, notFound } from "./http/errors";
import type { Caller } from "./http/guard";
import { engineNow } from "./runtime/boot";

/** A forecast that takes longer than this is stopped. */
export const FORECAST_TIMEOUT_MS = 60_000;
/** The worker's heap limit. */
export const FORECAST_MEMORY_MB = 256;
/** Leads a forecast runs when the campaign has none yet and none were typed. */
export const DEFAULT_FORECAST_LEADS = 100;
/** The workspace's own acceptance rate is used from this many settled invitations on. */
export const MIN_SETTLED_INVITATIONS = 50;
/** Its own reply rate from this many settled messages and InMails on. */
const MIN_SETTLED_MESSAGES = 20;
/** An invitation not accepted after this long counts as settled (not accepted). */
const INVITATION_SETTLES_DAYS = 14;
/** A message not answered after this long counts as settled (no reply). */
const MESSAGE_SETTLES_DAYS = 7;
/** A cached forecast stands for the header's ETA and the budget panel for this long at most. */
const CACHE_TTL_MS = 6 * 60 * 60 * 1000;
const CACHE_ENTRIES = 500;
const DAY_MS = 86_400_000;

const DEFAULT_ACCEPTANCE = SandboxAcceptanceSchema.parse({}).probability;
const DEFAULT_REPLY = SandboxReplySchema.parse({}).afterMessage;
const DEFAULT_INMAIL_REPLY = SandboxReplySchema.parse({}).afterInmail;

export const forecastInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** Forecast the draft as it stands in the editor rather than the live version. */
  draft: z.boolean().optional(),
  /** What if: these seats of the workspace instead of the campaign's. */
  seatIds: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
  /** What if: this many seats (copies of the first are added; the last are left out). */
  seats: z.number().int().min(1).max(20).optional(),
  /** What if: this many invitations per seat and day. */
  connectCap: z.number().int().min(0).max(200).optional(),
  /** What if: this many leads (the campaign's own first, then made-up ones). */
  leads: z.number().int().min(1).max(MAX_LEADS).optional(),
  /** What if: credits per InMail branch (its budget key); null takes the budget away. */
  branchBudgets: z
    .record(z.string().max(2000), z.number().int().min(0).max(100_000).nullable())
    .refine((budgets) => Object.keys(budgets).length <= 50, "At most 50 branches")
    .optional(),
  days: z.number().int().min(7).max(180).default(90),
});
export type ForecastInput = z.infer<typeof forecastInput>;

/** Where the acceptance and reply rates of a forecast come from. */
export interface ForecastRates {
  source: "observed" | "defaults";
  acceptance: number;
  reply: number;
  /** Settled invitations the acceptance rate was read from (the workspace's, even if too few). */
  invitations: number;
  /** Settled messages and InMails the reply rate was read from (0: the default). */
  messages: number;
}

export interface Forecast extends ForecastSummary {
  start: string;
  days: number;
  seats: string[];
  leads: number;
  rates: ForecastRates;
}

/** What the panel offers to change, and the header's ETA. */
export interface ForecastOptions {
  /** The workspace's seats, those of the campaign marked. */
  seats: Array<{ id: string; name: string; inCampaign: boolean }>;
  /** InMail branches with their budget (null: none). */
  branches: Array<{ key: string; label: string; budget: number | null }>;
  /** Leads enrolled in the campaign (0 before importing). */
  leadsEnrolled: number;
  /** Leads still in flight. */
  leadsInFlight: number;
  rates: ForecastRates;
}

function withConnectCap(pacing: PacingSettings, cap: number | undefined): PacingSettings {
  if (cap === undefined) return pacing;
  return PacingSettingsSchema.parse({
    ...pacing,
    caps: { ...pacing.caps, perDay: { ...pacing.caps.perDay, connect: cap } },
  });
}

/**
 * The workspace's acceptance rate over its settled invitations (accepted, or sent at least 14
 * days ago), and its reply rate over settled messages and InMails; the sandbox's defaults until
 * there are 50 settled invitations (and 20 settled messages for the reply rate).
 */
export async function observedRates(
  db: Database,
  workspaceId: string,
  now: Date,
): Promise<ForecastRates> {
  const invitationCutoff = new Date(now.getTime() - INVITATION_SETTLES_DAYS * DAY_MS);
  const messageCutoff = new Date(now.getTime() - MESSAGE_SETTLES_DAYS * DAY_MS);
  const settled = (kinds: string[], event: string, cutoff: Date) =>
    queryRows<{ settled: string | number; answered: string | number }>(
      db,
      sql`
      select count(*) as settled, count(*) filter (where answered) as answered from (
        select a.sent_at, exists (
          select 1 from inbound_event e
          where e.workspace_id = a.workspace_id and e.account_id = a.account_id
            and e.lead_id = a.lead_id and e.type = ${event} and e.occurred_at > a.sent_at
            and e.occurred_at <= ${now.toISOString()}
        ) as answered
        from action a
        where a.workspace_id = ${workspaceId} and a.status = 'sent' and a.sent_at is not null
          and a.sent_at <= ${now.toISOString()}
          and a.kind in ${inList(kinds)}
      ) sent where answered or sent_at <= ${cutoff.toISOString()}`,
    );
  const [invitations, messages] = await Promise.all([
    settled(["connect"], "accepted", invitationCutoff),
    settled(["message", "inmail"], "replied", messageCutoff),
  ]);
  const first = (rows: Array<{ settled: string | number; answered: string | number }>) => {
    const row = rows[0];
    return { settled: Number(row?.settled ?? 0), answered: Number(row?.answered ?? 0) };
  };
  const invited = first(invitations);
  const texted = first(messages);
  if (invited.settled < MIN_SETTLED_INVITATIONS) {
    return {
      source: "defaults",
      acceptance: DEFAULT_ACCEPTANCE,
      reply: DEFAULT_REPLY,
      invitations: invited.settled,
      messages: 0,
    };
  }
  const replyObserved = texted.settled >= MIN_SETTLED_MESSAGES;
  return {
    source: "observed",
    acceptance: invited.answered / invited.settled,
    reply: replyObserved ? texted.answered / texted.settled : DEFAULT_REPLY,
    invitations: invited.settled,
    messages: replyObserved ? texted.settled : 0,
  };
}

/** Rates read for a workspace in the last minutes: every forecast and ETA would scan again. */
const recentRates = new Map<string, { at: number; rates: ForecastRates }>();
const RATES_TTL_MS = 10 * 60 * 1000;

async function workspaceRates(db: Database, workspaceId: string, now: Date) {
  const kept = recentRates.get(workspaceId);
  if (kept && Math.abs(now.getTime() - kept.at) < RATES_TTL_MS) return kept.rates;
  const rates = await observedRates(db, workspaceId, now);
  recentRates.delete(workspaceId);
  recentRates.set(workspaceId, { at: now.getTime(), rates });
  while (recentRates.size > CACHE_ENTRIES) recentRates.delete(recentRates.keys().next().value!);
  return rates;
}

/** The sandbox world a forecast runs in: the default world, with the workspace's own rates. */
function sandboxWith(rates: ForecastRates): SimulationSpec["sandbox"] {
  if (rates.source === "defaults") return undefined;
  return {
    defaults: {
      acceptance: { probability: rates.acceptance },
      // InMails keep the defaults' ratio to messages.
      reply: {
        afterMessage: rates.reply,
        afterInmail: Math.min(1, (rates.reply * DEFAULT_INMAIL_REPLY) / DEFAULT_REPLY),
      },
    },
  };
}

interface ForecastBasis {
  campaign: NonNullable<Awaited<ReturnType<typeof findCampaign>>>;
  graph: unknown;
  /** The graph's identity: the live version, or the draft's hash. */
  graphId: string;
  seats: Array<{ id: string; name: string; pacing: unknown; creditPoolId: string | null }>;
  budgets: CampaignBudgets | null;
  rates: ForecastRates;
  leadsEnrolled: number;
  leadsInFlight: number;
}

/** Everything a forecast is read from except the leads themselves. */
async function forecastBasis(
  db: Database,
  workspaceId: string,
  input: ForecastInput,
  now: Date,
): Promise<ForecastBasis> {
  const campaign = await findCampaign(db, workspaceId, input.campaignId);
  if (!campaign) throw notFound("Campaign");
  const live =
    campaign.liveVersionId && !input.draft
      ? await findLiveVersion(db, workspaceId, campaign.liveVersionId)
      : undefined;
  const seatColumns = {
    id: senderAccount.id,
    name: senderAccount.name,
    pacing: senderAccount.pacing,
    creditPoolId: senderAccount.creditPoolId,
  };
  const seats = input.seatIds
    ? await db
        .select(seatColumns)
        .from(senderAccount)
        .where(
          and(eq(senderAccount.workspaceId, workspaceId), inArray(senderAccount.id, input.seatIds)),
        )
        .orderBy(senderAccount.name, senderAccount.id)
    : await db
        .select(seatColumns)
        .from(campaignAccount)
        .innerJoin(senderAccount, eq(senderAccount.id, campaignAccount.accountId))
        .where(
          and(
            eq(campaignAccount.workspaceId, workspaceId),
            eq(senderAccount.workspaceId, workspaceId),
            eq(campaignAccount.campaignId, campaign.id),
          ),
        )
        .orderBy(senderAccount.name, senderAccount.id);
  if (input.seatIds && seats.length !== new Set(input.seatIds).size) {
    throw new HttpError(400, "unknown_seat", "One of the chosen seats does not exist any more.");
  }
  if (seats.length === 0) {
    throw new HttpError(400, "no_seats", "Add a LinkedIn account to the campaign to forecast it.");
  }
  const enrolled = await db
    .select({ state: enrollment.state, n: count() })
    .from(enrollment)
    .where(and(eq(enrollment.workspaceId, workspaceId), eq(enrollment.campaignId, campaign.id)))
    .groupBy(enrollment.state);
  return {
    campaign,
    graph: live?.graph ?? campaign.draftGraph,
    graphId: live ? `version:${live.id}` : `draft:${campaign.draftHash}`,
    seats,
    budgets: parseBudgets(campaign.budgets),
    rates: await workspaceRates(db, workspaceId, now),
    leadsEnrolled: enrolled.reduce((sum, row) => sum + Number(row.n), 0),
    leadsInFlight: Number(enrolled.find((row) => row.state === "active")?.n ?? 0),
  };
}

/**
 * What a forecast without "what if" depends on: the graph, the seats' settings, the budgets,
 * the number of leads enrolled and where the rates come from. Leads moving on, or today's
 * usage, do not change it: the ETA is recomputed when the campaign changes, not on every view.
 */
function fingerprint(basis: ForecastBasis, days: number): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        basis.graphId,
        basis.seats.map((s) => [s.id, s.pacing, s.creditPoolId]),
        basis.budgets,
        basis.leadsEnrolled,
        basis.rates.source,
        basis.campaign.stopOnReply,
        days,
      ]),
    )
    .digest("hex");
}

/** Whether the input asks for anything but the campaign as it is. */
function isWhatIf(input: ForecastInput): boolean {
  return (
    input.draft === true ||
    input.seatIds !== undefined ||
    input.seats !== undefined ||
    input.connectCap !== undefined ||
    input.leads !== undefined ||
    input.branchBudgets !== undefined
  );
}

function budgetsWith(
  budgets: CampaignBudgets | null,
  changes: ForecastInput["branchBudgets"],
): CampaignBudgets | null {
  if (!changes) return budgets;
  const branches = { ...(budgets?.branches ?? {}) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete branches[key];
    else branches[key] = value;
  }
  return { campaign: budgets?.campaign ?? null, branches };
}

/** The simulation a forecast runs for each seed, read from the campaign's rows. */
export async function forecastSpecs(
  db: Database,
  workspaceId: string,
  input: ForecastInput,
  now: Date,
  basis?: ForecastBasis,
): Promise<{
  specs: SimulationSpec[];
  seats: string[];
  leads: number;
  rates: ForecastRates;
  fingerprint: string;
}> {
  const b = basis ?? (await forecastBasis(db, workspaceId, input, now));
  const { campaign } = b;
  const usage = await db
    .select()
    .from(usageCounter)
    .where(
      inArray(
        usageCounter.accountId,
        b.seats.map((s) => s.id),
      ),
    );
  const accounts: SimulationAccount[] = b.seats.map((seat) => {
    const pacing = withConnectCap(PacingSettingsSchema.parse(seat.pacing), input.connectCap);
    const today = localDate(now, pacing.timeZone);
    const usedToday: Record<string, number> = {};
    for (const row of usage) {
      if (row.accountId === seat.id && row.localDate === today) usedToday[row.kind] = row.used;
    }
    return { id: seat.name, pacing, usedToday };
  });
  // Two seats of the same name stay two seats.
  const names = new Set<string>();
  for (const account of accounts) {
    let name = account.id;
    for (let n = 2; names.has(name); n++) name = `${account.id} (${n})`;
    account.id = name;
    names.add(name);
  }
  const wanted = input.seats ?? accounts.length;
  while (accounts.length < wanted) {
    const first = accounts[0]!;
    accounts.push({ id: `${first.id} (added ${accounts.length + 1})`, pacing: first.pacing });
  }
  accounts.length = wanted;

  const poolId = b.seats.find((s) => s.creditPoolId)?.creditPoolId ?? null;
  const [pool] = poolId
    ? await db
        .select()
        .from(creditPool)
        .where(and(eq(creditPool.workspaceId, workspaceId), eq(creditPool.id, poolId)))
    : [];
  const policy = pool ? RefundPolicySchema.safeParse(pool.refundPolicy) : null;

  const inFlight = await db
    .select({
      publicIdentifier: lead.publicIdentifier,
      firstName: lead.firstName,
      lastName: lead.lastName,
      company: lead.company,
      title: lead.title,
    })
    .from(enrollment)
    .innerJoin(lead, eq(lead.id, enrollment.leadId))
    .where(
      and(
        eq(enrollment.workspaceId, workspaceId),
        eq(enrollment.campaignId, campaign.id),
        eq(enrollment.state, "active"),
      ),
    )
    .orderBy(lead.publicIdentifier)
    .limit(MAX_LEADS);
  const leadCount = input.leads ?? (inFlight.length > 0 ? inFlight.length : DEFAULT_FORECAST_LEADS);
  const leads: SimulationLead[] = inFlight.slice(0, leadCount);
  if (leads.length < leadCount) {
    const known = new Set(leads.map((l) => l.publicIdentifier));
    leads.push(...generateLeads(leadCount - leads.length, campaign.seed, known));
  }
  const budgets = budgetsWith(b.budgets, input.branchBudgets);
  const sandbox = sandboxWith(b.rates);

  const specs = Array.from({ length: FORECAST_SEEDS }, (_, n) => ({
    graph: b.graph,
    accounts,
    pool: pool
      ? {
          plan: pool.plan as PlanId,
          balance: pool.balance,
          renewalDay: pool.renewalDay,
          allowance: pool.allowance,
          cap: pool.cap,
          ...(policy?.success ? { refundPolicy: policy.data } : {}),
        }
      : null,
    leads,
    seed: `${campaign.seed}:forecast:${n + 1}`,
    start: now,
    days: input.days,
    stopOnReply: campaign.stopOnReply,
    ...(budgets ? { budgets } : {}),
    ...(sandbox ? { sandbox } : {}),
  }));
  return {
    specs,
    seats: accounts.map((a) => a.id),
    leads: leadCount,
    rates: b.rates,
    fingerprint: fingerprint(b, input.days),
  };
}

// ---- How many forecasts run at once -------------------------------------------------------

/**
 * At most `running` workers at once (one per core leaves the app's requests their share);
 * up to `queued` more wait their turn; beyond that the caller is told to try again.
 */
const limits = { running: 2, queued: 8 };
let running = 0;
const waiting: Array<() => void> = [];

/** Changes the limits (tests and deployments with more cores). */
export function setForecastLimits(next: Partial<typeof limits>) {
  Object.assign(limits, next);
}

/** Forecasts running and waiting now. */
export function forecastLoad() {
  return { running, queued: waiting.length, maxRunning: limits.running, maxQueued: limits.queued };
}

function release() {
  running--;
  const next = waiting.shift();
  if (next) next();
}

/** Waits for a free worker slot; the answer frees it. */
function acquireSlot(signal?: AbortSignal): Promise<() => void> {
  let released = false;
  const free = () => {
    if (released) return;
    released = true;
    release();
  };
  if (running < limits.running) {
    running++;
    return Promise.resolve(free);
  }
  if (waiting.length >= limits.queued) {
    return Promise.reject(
      new HttpError(
        503,
        "forecast_busy",
        "Outflow is running as many forecasts as it can at once. Try again in a minute.",
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const start = () => {
      signal?.removeEventListener("abort", onAbort);
      running++;
      resolve(free);
    };
    const onAbort = () => {
      const at = waiting.indexOf(start);
      if (at >= 0) waiting.splice(at, 1);
      reject(new HttpError(499, "cancelled", "Cancelled."));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    waiting.push(start);
  });
}

/**
 * The worker's bootstrap, found at run time in the project's folder (the bundler must not
 * follow it: it loads TypeScript through tsx in the worker).
 */
function workerFile(): string {
  return [process.cwd(), "server", "forecast", "forecast-worker.mjs"].join(path.sep);
}

/**
 * Runs the seeds in a worker thread with a time and a heap limit, once a slot is free (see
 * `setForecastLimits`); the worker is stopped when `signal` aborts (the user left) or the time
 * runs out.
 */
export async function runForecastInWorker(
  specs: SimulationSpec[],
  options: { signal?: AbortSignal; timeoutMs?: number; memoryMb?: number } = {},
): Promise<ForecastSummary> {
  const free = await acquireSlot(options.signal);
  try {
    return await runWorker(specs, options);
  } finally {
    free();
  }
}

function runWorker(
  specs: SimulationSpec[],
  options: { signal?: AbortSignal; timeoutMs?: number; memoryMb?: number },
): Promise<ForecastSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(/* turbopackIgnore: true */ workerFile(), {
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? FORECAST_MEMORY_MB },
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new HttpError(503, "forecast_timeout", "The forecast took too long. Try fewer leads."),
          ),
        ),
      options.timeoutMs ?? FORECAST_TIMEOUT_MS,
    );
    const onAbort = () => finish(() => reject(new HttpError(499, "cancelled", "Cancelled.")));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort);
    worker.once(
      "message",
      (reply: { ok: true; summary: ForecastSummary } | { ok: false; message: string }) =>
        finish(() =>
          reply.ok
            ? resolve(reply.summary)
            : reject(
                new HttpError(
                  422,
                  "forecast_failed",
                  `The forecast could not run: ${reply.message}`,
                ),
              ),
        ),
    );
    worker.once("error", (error) =>
      finish(() =>
        reject(
          (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new HttpError(
                503,
                "forecast_memory",
                "The forecast needed too much memory. Try fewer leads.",
              )
            : error,
        ),
      ),
    );
    worker.once("exit", () =>
      finish(() => reject(new HttpError(503, "forecast_stopped", "The forecast stopped."))),
    );
    worker.postMessage(specs);
  });
}

// ---- The last forecast of each campaign ---------------------------------------------------

/** The figures kept of a campaign's last forecast without "what if". */
export interface CachedForecast {
  fingerprint: string;
  computedAt: string;
  /** Seeds it ran: 1 for the header's own quick run, 5 for a forecast from the panel. */
  seeds: number;
  finish: ForecastSummary["finish"];
  unfinishedSeeds: number;
  days: number;
  creditsByBranch: Record<string, number>;
  /** Per seed: when the pool ran dry (null: it did not). */
  poolDryBySeed: Array<string | null>;
  /** Per seed: credits used in all. */
  creditsBySeed: number[];
  /** Per seed: InMails refused for want of credit. */
  refusalsBySeed: number[];
}

const cache = new Map<string, CachedForecast>();

function remember(campaignId: string, entry: CachedForecast) {
  cache.delete(campaignId);
  cache.set(campaignId, entry);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
}

function cachedEntry(
  fingerprint: string,
  summary: ForecastSummary,
  now: Date,
  days: number,
): CachedForecast {
  return {
    fingerprint,
    computedAt: now.toISOString(),
    seeds: summary.seeds.length,
    finish: summary.finish,
    unfinishedSeeds: summary.unfinishedSeeds,
    days,
    creditsByBranch: summary.creditsByBranch,
    poolDryBySeed: summary.seeds.map((s) => s.poolDryAt),
    creditsBySeed: summary.seeds.map((s) =>
      Object.values(s.creditsByBranch).reduce((sum, n) => sum + n, 0),
    ),
    refusalsBySeed: summary.seeds.map((s) => s.creditRefusals),
  };
}

/**
 * The campaign's last forecast as the campaign stands (a workspace-scoped read: the id comes
 * from a campaign the caller could read), if it is recent. The budget panel's projection uses it.
 */
export function lastForecast(campaignId: string, now: Date): CachedForecast | null {
  const entry = cache.get(campaignId);
  if (!entry) return null;
  return now.getTime() - Date.parse(entry.computedAt) <= CACHE_TTL_MS ? entry : null;
}

/** Forgets every kept forecast and rate (tests). */
export function clearForecastCache() {
  cache.clear();
  recentRates.clear();
}

/** The campaign's forecast for the caller's workspace. */
export async function campaignForecast(
  caller: Caller,
  input: ForecastInput,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<Forecast> {
  const now = options.now ?? engineNow();
  const { specs, seats, leads, rates, fingerprint } = await forecastSpecs(
    caller.db,
    caller.workspace.workspaceId,
    input,
    now,
  );
  const summary = await runForecastInWorker(specs, { signal: options.signal });
  if (!isWhatIf(input)) {
    remember(input.campaignId, cachedEntry(fingerprint, summary, now, input.days));
  }
  return {
    ...summary,
    start: now.toISOString(),
    days: input.days,
    seats,
    leads,
    rates,
  };
}

export const forecastOptionsInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** Also answer the ETA (from the kept forecast, or one quick seed). */
  eta: z.boolean().default(true),
});

export interface ForecastEta {
  /** The median finish (null: not every lead finishes within the run). */
  finish: string | null;
  days: number;
  seeds: number;
  computedAt: string;
}

/** The header's ETA: the kept forecast while the campaign is unchanged, else one quick seed. */
export async function campaignEta(
  caller: Caller,
  campaignId: string,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<ForecastEta> {
  const now = options.now ?? engineNow();
  const input = forecastInput.parse({ campaignId });
  const { db } = caller;
  const ws = caller.workspace.workspaceId;
  const basis = await forecastBasis(db, ws, input, now);
  let entry = lastForecast(campaignId, now);
  if (!entry || entry.fingerprint !== fingerprint(basis, input.days)) {
    const { specs, fingerprint: key } = await forecastSpecs(db, ws, input, now, basis);
    const summary = await runForecastInWorker(specs.slice(0, 1), { signal: options.signal });
    entry = cachedEntry(key, summary, now, input.days);
    remember(campaignId, entry);
  }
  return {
    finish: entry.finish?.median ?? null,
    days: entry.days,
    seeds: entry.seeds,
    computedAt: entry.computedAt,
  };
}

/** The seats and InMail branches the "what if" offers, the lead counts and the rates. */
export async function campaignForecastOptions(
  caller: Caller,
  input: { campaignId: string; draft?: boolean },
  now = engineNow(),
): Promise<ForecastOptions> {
  const { db } = caller;
  const ws = caller.workspace.workspaceId;
  const basis = await forecastBasis(db, ws, forecastInput.parse(input), now).catch((error) => {
    // A campaign without a seat yet still offers the workspace's seats.
    if (error instanceof HttpError && error.code === "no_seats") return null;
    throw error;
  });
  const campaign = basis?.campaign ?? (await findCampaign(db, ws, input.campaignId));
  if (!campaign) throw notFound("Campaign");
  const all = await db
    .select({ id: senderAccount.id, name: senderAccount.name })
    .from(senderAccount)
    .where(eq(senderAccount.workspaceId, ws))
    .orderBy(senderAccount.name, senderAccount.id)
    .limit(200);
  const inCampaign = new Set(basis?.seats.map((s) => s.id) ?? []);
  const graph = (basis?.graph ?? campaign.draftGraph) as AnyGraph;
  let branches: ForecastOptions["branches"] = [];
  try {
    branches = branchCreditRows({
      graph,
      attempts: [],
      ledger: [],
      pendingRefunds: [],
      replies: [],
      budgets: basis?.budgets ?? parseBudgets(campaign.budgets),
    }).map((row) => ({ key: row.key, label: row.label, budget: row.budget }));
  } catch {
    // A draft too broken to walk has no branches to offer yet.
  }
  return {
    seats: all.map((seat) => ({ ...seat, inCampaign: inCampaign.has(seat.id) })),
    branches,
    leadsEnrolled: basis?.leadsEnrolled ?? 0,
    leadsInFlight: basis?.leadsInFlight ?? 0,
    rates: basis?.rates ?? (await workspaceRates(db, ws, now)),
  };
}
