import Papa from "papaparse";
import { z } from "zod";
import type { Database } from "@/db/client";
import { accountsOfCampaigns, findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import {
  type ActionFact,
  actionsById,
  actionsCreatedAfter,
  actionTimes,
  activeAtStart,
  creditsUsedByCampaign,
  enrollmentPositions,
  exitCountsBetween,
  exportPage,
  intentIdsUpTo,
  type LeadEventFact,
  latestActions,
  leadEventsBetween,
  leadEventsUpTo,
  type StepFact,
  sentPerDayUpTo,
  sequencePositions,
  settledActionSummaries,
  stepsBetween,
} from "@/db/queries/dashboard";
import { labelBranch } from "@/workflows/graph/index";
import {
  ACTION_KINDS,
  type ActionKind,
  byActionKind,
  findNodeDefinition,
  isActionKind,
  variantLetter,
} from "@/workflows/nodes/index";
import { previewTemplate } from "@/workflows/nodes/template";
import { type CampaignSummary, listCampaigns } from "./campaigns";
import { notFound } from "./errors";
import type { Caller } from "./guard";

// The campaign dashboard, the list's figures and the enrollment export, all read from the
// tables the engine writes: enrollment (where each lead stands), enrollment_step (every exit
// taken), action (every send and its outcome) and inbound_event (acceptances and replies).
//
// Definitions, shared by the dashboard, the list and the tests:
// - enrolled: the campaign's enrollments, whatever their state;
// - visited / invited: leads with a sent visit / a sent invitation;
// - accepted: invited leads with an acceptance from their sender account at or after the
//   first invitation sent to them;
// - messaged: leads sent a message or an InMail;
// - replied: leads with a reply to their sender at or after the first text sent to them (an
//   invitation note, a message or an InMail); "texted" counts the leads sent any text;
// - acceptance rate = accepted / invited; reply rate = replied / texted;
// - per A/B variant of a step: drawn (leads who drew it), sent (leads it was sent to),
//   converted (of those, accepted at or after the invitation for an invitation note, replied at
//   or after the send otherwise), rate = converted / sent;
// - daily activity: sent actions per kind and sender-local date (the date caps count on);
// - per step: waiting (active enrollments standing on it), passed (exits taken from it in the
//   history), finished / failed / removed (enrollments whose run ended on it that way); per
//   exit: history rows leaving the step by that exit.

const id = z.string().min(1).max(100);
export const dashboardInput = z.object({ campaignId: id });

export const FUNNEL_STAGES = [
  "enrolled",
  "visited",
  "invited",
  "accepted",
  "messaged",
  "replied",
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

const FUNNEL_LABELS: Record<FunnelStage, string> = {
  enrolled: "Enrolled",
  visited: "Visited",
  invited: "Invited",
  accepted: "Accepted",
  messaged: "Messaged",
  replied: "Replied",
};

export { ACTION_KINDS };
export type ActionKindName = ActionKind;

// ---------------------------------------------------------------------------------------------
// The read model: per campaign and per process, what the engine's tables add up to.
//
// A campaign of 100,000 leads has about a million history rows and half a million actions:
// aggregating them on every poll costs close to a second. The read model aggregates them once,
// keeps what each lead's rows come to (where it stands, what it was sent, what it answered)
// with running totals, and on each refresh reads only the rows added since. Rows are split by
// marks: the model holds history and event rows with ids up to its marks and actions created
// up to its time mark ("the base"); everything past the marks is read again on every refresh
// ("the tail") and laid over copies of the leads it touches, so every answer counts every
// committed row exactly once. A mark moves forward only to a position observed at least
// `stableAfterMs` earlier: ids come from sequences and times from the engine's clock, so a row
// may become visible a little after a larger one, but not later than the transaction that
// writes it, which lasts milliseconds (10 s is the margin: a row committed later than that
// below a mark that has moved would be missed by this process's model until it restarts). Actions are written as intents and settled once: an
// intent below the mark is kept by id and folded in when it settles. A lead's position is set
// by its latest history row; leads without history are still on the start step and are
// counted straight from the enrollment table.

export interface DashboardModelSettings {
  /** How old an observed position must be before the base takes in the rows below it. */
  stableAfterMs: number;
  /** How many of the newest rows a cold start leaves out of the base (they may be in flight). */
  coldTailRows: number;
  /** A model nobody has read for this long is dropped. */
  idleMs: number;
}

const settings: DashboardModelSettings = {
  stableAfterMs: 10_000,
  coldTailRows: 500,
  idleMs: 10 * 60_000,
};

/** For tests and the bench: move marks sooner, or start over with an empty cache. */
export function configureDashboardModel(change: Partial<DashboardModelSettings>): void {
  Object.assign(settings, change);
}

export function resetDashboardModels(): void {
  models().clear();
}

/** What one lead's history, settled actions and events come to. */
interface LeadFacts {
  /** The history row its position comes from; 0 while none has been seen. */
  lastStep: number;
  /** The step it stands on, or ended its run on. */
  at: string | null;
  /** How its run ended (done, failed, removed); null while it goes on. */
  ended: string | null;
  visited: boolean;
  invitedAt: number | null;
  messagedAt: number | null;
  textedAt: number | null;
  /** Per variant drawn: [nodeId␟variant, is an invitation, first sent time or null]. */
  variants: Array<[string, boolean, number | null]> | null;
  accepted: number[] | null;
  replied: number[] | null;
}

const emptyFacts = (): LeadFacts => ({
  lastStep: 0,
  at: null,
  ended: null,
  visited: false,
  invitedAt: null,
  messagedAt: null,
  textedAt: null,
  variants: null,
  accepted: null,
  replied: null,
});

const cloneFacts = (facts: LeadFacts): LeadFacts => ({
  ...facts,
  variants: facts.variants ? facts.variants.map((v) => [...v]) : null,
  accepted: facts.accepted ? [...facts.accepted] : null,
  replied: facts.replied ? [...facts.replied] : null,
});

const earliest = (current: number | null, candidate: number | null) =>
  candidate === null ? current : current === null ? candidate : Math.min(current, candidate);

const SEP = "\u001f";

function addVariant(facts: LeadFacts, key: string, invitation: boolean, sentAt: number | null) {
  facts.variants ??= [];
  const known = facts.variants.find((v) => v[0] === key);
  if (known) known[2] = earliest(known[2], sentAt);
  else facts.variants.push([key, invitation, sentAt]);
}

/** A history row moves the lead, unless its position already comes from a later one. */
function applyStep(facts: LeadFacts, step: StepFact) {
  if (step.id <= facts.lastStep) return;
  facts.lastStep = step.id;
  if (step.exit !== null && step.toNodeId !== null) {
    facts.at = step.toNodeId;
    facts.ended = null;
  } else {
    facts.at = step.nodeId;
    facts.ended = step.state === "active" ? null : step.state;
  }
}

/** Folds one settled action into a lead's facts. Intents count for nothing yet. */
function applyAction(facts: LeadFacts, action: ActionFact) {
  if (action.status === "intent") return;
  const sent = action.status === "sent";
  const sentAt = sent && action.sentAt ? Date.parse(action.sentAt) : null;
  if (sent) {
    if (action.kind === "visit") facts.visited = true;
    if (action.kind === "connect") facts.invitedAt = earliest(facts.invitedAt, sentAt);
    if (action.kind === "message" || action.kind === "inmail") {
      facts.messagedAt = earliest(facts.messagedAt, sentAt);
    }
    if (action.hasText) facts.textedAt = earliest(facts.textedAt, sentAt);
  }
  if (action.variant !== null) {
    addVariant(facts, `${action.nodeId}${SEP}${action.variant}`, action.kind === "connect", sentAt);
  }
}

function applyEvent(facts: LeadFacts, event: LeadEventFact) {
  const at = Date.parse(event.occurredAt);
  if (event.type === "accepted") facts.accepted = [...(facts.accepted ?? []), at];
  else facts.replied = [...(facts.replied ?? []), at];
}

const happenedSince = (times: number[] | null, since: number | null) =>
  since !== null && (times?.some((t) => t >= since) ?? false);

interface VariantTally {
  invitation: boolean;
  drawn: number;
  sent: number;
  converted: number;
}

/** Running totals over every lead's facts. */
interface Totals {
  /** Leads with history: the rest are on the start step. */
  leads: number;
  waiting: Map<string, number>;
  /** nodeId␟state → leads whose run ended on that step that way. */
  ended: Map<string, number>;
  funnel: {
    visited: number;
    invited: number;
    accepted: number;
    messaged: number;
    replied: number;
    texted: number;
  };
  variants: Map<string, VariantTally>;
}

const emptyTotals = (): Totals => ({
  leads: 0,
  waiting: new Map(),
  ended: new Map(),
  funnel: { visited: 0, invited: 0, accepted: 0, messaged: 0, replied: 0, texted: 0 },
  variants: new Map(),
});

const cloneTotals = (totals: Totals): Totals => ({
  leads: totals.leads,
  waiting: new Map(totals.waiting),
  ended: new Map(totals.ended),
  funnel: { ...totals.funnel },
  variants: new Map([...totals.variants].map(([key, tally]) => [key, { ...tally }])),
});

const bump = (map: Map<string, number>, key: string, by: number) =>
  map.set(key, (map.get(key) ?? 0) + by);

/** Adds (sign 1) or takes away (sign -1) what one lead contributes to the totals. */
function contribute(totals: Totals, facts: LeadFacts, sign: 1 | -1) {
  if (facts.lastStep > 0 && facts.at !== null) {
    totals.leads += sign;
    if (facts.ended === null) bump(totals.waiting, facts.at, sign);
    else bump(totals.ended, `${facts.at}${SEP}${facts.ended}`, sign);
  }
  const f = totals.funnel;
  if (facts.visited) f.visited += sign;
  if (facts.invitedAt !== null) f.invited += sign;
  if (happenedSince(facts.accepted, facts.invitedAt)) f.accepted += sign;
  if (facts.messagedAt !== null) f.messaged += sign;
  if (facts.textedAt !== null) f.texted += sign;
  if (happenedSince(facts.replied, facts.textedAt)) f.replied += sign;
  for (const [key, invitation, sentAt] of facts.variants ?? []) {
    let tally = totals.variants.get(key);
    if (!tally) {
      tally = { invitation, drawn: 0, sent: 0, converted: 0 };
      totals.variants.set(key, tally);
    }
    tally.drawn += sign;
    if (sentAt === null) continue;
    tally.sent += sign;
    if (happenedSince(invitation ? facts.accepted : facts.replied, sentAt)) tally.converted += sign;
  }
}

interface Observation {
  at: number;
  step: number;
  event: number;
  action: string | null;
}

interface ModelFigures {
  totals: Totals;
  exits: Map<string, number>;
  sentPerDay: Map<string, number>;
}

class CampaignReadModel {
  private built = false;
  private stepMark = 0;
  private eventMark = 0;
  private actionMark: string | null = null;
  private readonly exits = new Map<string, number>();
  private readonly sentPerDay = new Map<string, number>();
  private readonly facts = new Map<string, LeadFacts>();
  private totals = emptyTotals();
  private readonly pending = new Set<string>();
  private observations: Observation[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  lastUsed = Date.now();

  constructor(
    private readonly workspaceId: string,
    private readonly campaignId: string,
  ) {}

  /** Brings the model up to date and returns its figures; one refresh at a time. */
  figures(db: Database): Promise<ModelFigures> {
    this.lastUsed = Date.now();
    const next = this.queue.then(() => this.refresh(db));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Changes one lead of the base, keeping the totals in step. */
  private change(enrollmentId: string, apply: (facts: LeadFacts) => void) {
    let facts = this.facts.get(enrollmentId);
    if (facts) contribute(this.totals, facts, -1);
    else {
      facts = emptyFacts();
      this.facts.set(enrollmentId, facts);
    }
    apply(facts);
    contribute(this.totals, facts, 1);
  }

  private foldAction(action: ActionFact) {
    this.change(action.enrollmentId, (facts) => applyAction(facts, action));
    if (action.status === "sent")
      bump(this.sentPerDay, `${action.localDate}${SEP}${action.kind}`, 1);
  }

  private async build(db: Database) {
    const { workspaceId: w, campaignId: c } = this;
    const [positions, newest, mark] = await Promise.all([
      sequencePositions(db),
      actionTimes(db, w, c),
      actionTimes(db, w, c, settings.coldTailRows),
    ]);
    this.stepMark = Math.max(0, positions.step - settings.coldTailRows);
    this.eventMark = Math.max(0, positions.event - settings.coldTailRows);
    this.actionMark = mark;
    const [where, exits, events, summaries, perDay, intents] = await Promise.all([
      enrollmentPositions(db, w, c),
      exitCountsBetween(db, w, c, { after: 0, upTo: this.stepMark }),
      leadEventsUpTo(db, w, c, this.eventMark),
      mark ? settledActionSummaries(db, w, c, mark) : Promise.resolve([]),
      mark ? sentPerDayUpTo(db, w, c, mark) : Promise.resolve([]),
      mark ? intentIdsUpTo(db, w, c, mark) : Promise.resolve([]),
    ]);
    const factsOf = (enrollmentId: string) => {
      let facts = this.facts.get(enrollmentId);
      if (!facts) {
        facts = emptyFacts();
        this.facts.set(enrollmentId, facts);
      }
      return facts;
    };
    for (const p of where) {
      if (p.lastStepId === null) continue;
      const facts = factsOf(p.enrollmentId);
      facts.lastStep = p.lastStepId;
      facts.at = p.nodeId;
      facts.ended = p.state === "active" ? null : p.state;
    }
    for (const e of exits) bump(this.exits, `${e.nodeId}${SEP}${e.exit}`, e.count);
    for (const s of summaries) {
      const facts = factsOf(s.enrollmentId);
      facts.visited = s.visited;
      facts.invitedAt = s.invitedAt ? Date.parse(s.invitedAt) : null;
      facts.messagedAt = s.messagedAt ? Date.parse(s.messagedAt) : null;
      facts.textedAt = s.textedAt ? Date.parse(s.textedAt) : null;
      for (const [nodeId, variant, invitation, sentAt] of s.variants) {
        addVariant(
          facts,
          `${nodeId}${SEP}${variant}`,
          invitation,
          sentAt ? Date.parse(sentAt) : null,
        );
      }
    }
    for (const row of perDay) bump(this.sentPerDay, `${row.date}${SEP}${row.kind}`, row.count);
    for (const event of events) applyEvent(factsOf(event.enrollmentId), event);
    for (const intent of intents) this.pending.add(intent);
    this.totals = emptyTotals();
    for (const facts of this.facts.values()) contribute(this.totals, facts, 1);
    this.observations.push({ at: Date.now(), ...positions, action: newest });
    this.built = true;
  }

  /** Takes into the base the rows below the newest position observed long enough ago. */
  private async advance(db: Database) {
    const settledBefore = Date.now() - settings.stableAfterMs;
    const ready = this.observations.filter((o) => o.at <= settledBefore).at(-1);
    if (!ready) return;
    this.observations = this.observations.filter((o) => o.at > ready.at);
    const { workspaceId: w, campaignId: c } = this;
    if (ready.step > this.stepMark) {
      const steps = await stepsBetween(db, w, c, { after: this.stepMark, upTo: ready.step });
      for (const step of steps) {
        if (step.exit !== null) bump(this.exits, `${step.nodeId}${SEP}${step.exit}`, 1);
        this.change(step.enrollmentId, (facts) => applyStep(facts, step));
      }
      this.stepMark = ready.step;
    }
    if (ready.event > this.eventMark) {
      const events = await leadEventsBetween(db, w, c, {
        after: this.eventMark,
        upTo: ready.event,
      });
      for (const event of events) this.change(event.enrollmentId, (f) => applyEvent(f, event));
      this.eventMark = ready.event;
    }
    if (ready.action !== null && (this.actionMark === null || ready.action > this.actionMark)) {
      const actions = await actionsCreatedAfter(db, w, c, this.actionMark, ready.action);
      for (const action of actions) {
        if (action.status === "intent") this.pending.add(action.id);
        else this.foldAction(action);
      }
      this.actionMark = ready.action;
    }
  }

  /** Intents below the mark that have settled since join the base. */
  private async settlePending(db: Database) {
    if (this.pending.size === 0) return;
    const rows = await actionsById(db, this.workspaceId, [...this.pending]);
    const found = new Set(rows.map((r) => r.id));
    for (const id of this.pending) if (!found.has(id)) this.pending.delete(id);
    for (const row of rows) {
      if (row.status === "intent") continue;
      this.pending.delete(row.id);
      this.foldAction(row);
    }
  }

  private async refresh(db: Database): Promise<ModelFigures> {
    if (!this.built) await this.build(db);
    await this.advance(db);
    await this.settlePending(db);
    const { workspaceId: w, campaignId: c } = this;
    const [positions, tailSteps, tailEvents, tailActions] = await Promise.all([
      sequencePositions(db),
      stepsBetween(db, w, c, { after: this.stepMark, upTo: null }),
      leadEventsBetween(db, w, c, { after: this.eventMark, upTo: null }),
      actionsCreatedAfter(db, w, c, this.actionMark),
    ]);
    let newest = this.actionMark;
    for (const a of tailActions) if (newest === null || a.createdAt > newest) newest = a.createdAt;
    this.observations.push({ at: Date.now(), ...positions, action: newest });
    if (this.observations.length > 100) this.observations = this.observations.slice(-100);

    // The tail goes on top of copies of the leads it touches; the base stays as it is.
    const exits = new Map(this.exits);
    const sentPerDay = new Map(this.sentPerDay);
    const touched = new Map<string, LeadFacts>();
    const touch = (enrollmentId: string) => {
      let facts = touched.get(enrollmentId);
      if (!facts) {
        const base = this.facts.get(enrollmentId);
        facts = base ? cloneFacts(base) : emptyFacts();
        touched.set(enrollmentId, facts);
      }
      return facts;
    };
    for (const step of tailSteps) {
      if (step.exit !== null) bump(exits, `${step.nodeId}${SEP}${step.exit}`, 1);
      applyStep(touch(step.enrollmentId), step);
    }
    for (const action of tailActions) {
      applyAction(touch(action.enrollmentId), action);
      if (action.status === "sent") bump(sentPerDay, `${action.localDate}${SEP}${action.kind}`, 1);
    }
    for (const event of tailEvents) applyEvent(touch(event.enrollmentId), event);
    const totals = cloneTotals(this.totals);
    for (const [enrollmentId, facts] of touched) {
      const base = this.facts.get(enrollmentId);
      if (base) contribute(totals, base, -1);
      contribute(totals, facts, 1);
    }
    return { totals, exits, sentPerDay };
  }
}

function models(): Map<string, CampaignReadModel> {
  const globals = globalThis as unknown as {
    outflowDashboardModels?: Map<string, CampaignReadModel>;
  };
  globals.outflowDashboardModels ??= new Map();
  return globals.outflowDashboardModels;
}

/** The campaign's read model; models nobody has read for a while are dropped. */
function modelOf(workspaceId: string, campaignId: string): CampaignReadModel {
  const all = models();
  const now = Date.now();
  for (const [key, model] of all) if (now - model.lastUsed > settings.idleMs) all.delete(key);
  const key = `${workspaceId}/${campaignId}`;
  let model = all.get(key);
  if (!model) {
    model = new CampaignReadModel(workspaceId, campaignId);
    all.set(key, model);
  }
  return model;
}

// ---------------------------------------------------------------------------------------------
// The dashboard

interface GraphShape {
  nodes: Array<{ id: string; kind: string; position?: { x: number; y: number }; config: unknown }>;
  edges: Array<{ id: string; source: string; sourceHandle: string; target: string }>;
}

export interface DashboardExit {
  exit: string;
  label: string;
  count: number;
}

export interface DashboardNode {
  nodeId: string;
  kind: string | null;
  label: string;
  summary: string;
  /** False for a step of an earlier version that leads still stand on or left. */
  inLiveVersion: boolean;
  waiting: number;
  passed: number;
  finished: number;
  failed: number;
  removed: number;
  exits: DashboardExit[];
}

export interface DashboardVariant {
  nodeId: string;
  node: string;
  variant: string;
  /** "A", "B"… in the step's order, or the variant id for a step no longer published. */
  letter: string;
  preview: string;
  metric: "accepted" | "replied";
  drawn: number;
  sent: number;
  converted: number;
  /** converted / sent; null before anything was sent. */
  rate: number | null;
}

export type DailyActivity = { date: string } & Record<ActionKindName, number>;

export interface CampaignDashboard {
  campaign: {
    id: string;
    name: string;
    status: string;
    stopOnReply: boolean;
    version: { id: string; version: number; publishedAt: string } | null;
    accounts: Array<{ id: string; name: string; status: string }>;
  };
  generatedAt: string;
  graph: {
    nodes: Array<{
      id: string;
      kind: string;
      label: string;
      summary: string;
      colour: string;
      position: { x: number; y: number };
    }>;
    edges: Array<{ id: string; source: string; sourceHandle: string; target: string }>;
  } | null;
  enrollments: {
    enrolled: number;
    active: number;
    finished: number;
    failed: number;
    removed: number;
  };
  nodes: DashboardNode[];
  funnel: Array<{ stage: FunnelStage; label: string; leads: number }>;
  rates: { acceptance: number | null; reply: number | null; texted: number };
  daily: DailyActivity[];
  variants: DashboardVariant[];
  feed: Array<{
    id: string;
    at: string;
    sentAt: string | null;
    lead: { id: string; name: string; publicIdentifier: string };
    nodeId: string;
    node: string;
    kind: string;
    outcome: string;
    reason: string | null;
    variant: string | null;
    credits: number;
  }>;
}

const FEED_LENGTH = 30;

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function exitLabel(kind: string | null, exit: string): string {
  return findNodeDefinition(kind ?? undefined)?.exits.find((e) => e.handle === exit)?.label ?? exit;
}

/** The texts of a step's variants, in order: what the A/B table shows beside each letter. */
function variantTexts(kind: string, config: unknown): Array<{ id: string; text: string }> {
  const c = (config ?? {}) as {
    noteVariants?: Array<{ id: string; text: string }>;
    variants?: Array<{ id: string; text?: string; subject?: string; body?: string }>;
  };
  if (kind === "connect") return (c.noteVariants ?? []).map((v) => ({ id: v.id, text: v.text }));
  return (c.variants ?? []).map((v) => ({
    id: v.id,
    text: v.text ?? [v.subject, v.body].filter(Boolean).join(" — "),
  }));
}

function preview(text: string): string {
  // As a reader sees it (fallbacks in place of variables), never the raw {{…}} syntax.
  const flat = previewTemplate(text).replace(/\s+/g, " ").trim();
  if (flat === "") return "No note";
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

export async function campaignDashboard(
  caller: Caller,
  input: z.infer<typeof dashboardInput>,
): Promise<CampaignDashboard> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const row = await findCampaign(db, w, input.campaignId);
  if (!row) throw notFound("Campaign");
  const [live, accounts, atStart, feed, figures] = await Promise.all([
    row.liveVersionId ? findLiveVersion(db, w, row.liveVersionId) : null,
    accountsOfCampaigns(db, w, [row.id]),
    activeAtStart(db, w, row.id),
    latestActions(db, w, row.id, FEED_LENGTH),
    modelOf(w, row.id).figures(db),
  ]);
  const graph = (live?.graph ?? null) as GraphShape | null;

  const nodes = new Map<string, DashboardNode & { config?: unknown }>();
  const nodeOf = (nodeId: string) => {
    let node = nodes.get(nodeId);
    if (!node) {
      // Leads pinned to an older version may stand on, or have left, a step since removed.
      node = {
        nodeId,
        kind: null,
        label: nodeId,
        summary: "A step of an earlier version",
        inLiveVersion: false,
        waiting: 0,
        passed: 0,
        finished: 0,
        failed: 0,
        removed: 0,
        exits: [],
      };
      nodes.set(nodeId, node);
    }
    return node;
  };
  for (const n of graph?.nodes ?? []) {
    const definition = findNodeDefinition(n.kind);
    nodes.set(n.id, {
      nodeId: n.id,
      kind: n.kind,
      label: definition?.label ?? n.kind,
      summary: definition?.summarize(n.config) ?? n.id,
      inLiveVersion: true,
      waiting: 0,
      passed: 0,
      finished: 0,
      failed: 0,
      removed: 0,
      exits: (definition?.exits ?? []).map((e) => ({ exit: e.handle, label: e.label, count: 0 })),
      config: n.config,
    });
  }
  const { totals } = figures;
  const enrollments = { enrolled: 0, active: 0, finished: 0, failed: 0, removed: 0 };
  for (const s of atStart) {
    nodeOf(s.nodeId).waiting += s.count;
    enrollments.active += s.count;
  }
  for (const [nodeId, count] of totals.waiting) {
    if (count === 0) continue;
    nodeOf(nodeId).waiting += count;
    enrollments.active += count;
  }
  for (const [key, count] of totals.ended) {
    if (count === 0) continue;
    const [nodeId = "", state = ""] = key.split(SEP);
    const node = nodeOf(nodeId);
    if (state === "done") {
      node.finished += count;
      enrollments.finished += count;
    } else if (state === "failed") {
      node.failed += count;
      enrollments.failed += count;
    } else if (state === "removed") {
      node.removed += count;
      enrollments.removed += count;
    }
  }
  enrollments.enrolled =
    enrollments.active + enrollments.finished + enrollments.failed + enrollments.removed;
  for (const [key, count] of figures.exits) {
    const [nodeId = "", exit = ""] = key.split(SEP);
    const node = nodeOf(nodeId);
    node.passed += count;
    const known = node.exits.find((e) => e.exit === exit);
    if (known) known.count += count;
    else node.exits.push({ exit, label: exitLabel(node.kind, exit), count });
  }

  const daily = new Map<string, DailyActivity>();
  for (const [key, count] of figures.sentPerDay) {
    const [date = "", kind = ""] = key.split(SEP);
    if (!isActionKind(kind)) continue;
    let day = daily.get(date);
    if (!day) {
      day = { date, ...byActionKind(() => 0) };
      daily.set(date, day);
    }
    day[kind] += count;
  }

  const variants: DashboardVariant[] = [];
  for (const [key, tally] of totals.variants) {
    if (tally.drawn === 0) continue;
    const [nodeId = "", variant = ""] = key.split(SEP);
    const node = nodes.get(nodeId);
    const texts = node?.kind && node.config ? variantTexts(node.kind, node.config) : [];
    const index = texts.findIndex((t) => t.id === variant);
    variants.push({
      nodeId,
      node: node?.summary ?? nodeId,
      variant,
      letter: index >= 0 ? variantLetter(index) : variant,
      preview: index >= 0 ? preview(texts[index]!.text) : "",
      metric: tally.invitation ? "accepted" : "replied",
      drawn: tally.drawn,
      sent: tally.sent,
      converted: tally.converted,
      rate: ratio(tally.converted, tally.sent),
    });
  }
  const graphOrder = new Map((graph?.nodes ?? []).map((n, i) => [n.id, i]));
  const orderOf = (nodeId: string) => graphOrder.get(nodeId) ?? Number.MAX_SAFE_INTEGER;
  variants.sort(
    (a, b) =>
      orderOf(a.nodeId) - orderOf(b.nodeId) ||
      a.nodeId.localeCompare(b.nodeId) ||
      a.letter.localeCompare(b.letter),
  );

  const funnelCounts: Record<FunnelStage, number> = {
    enrolled: enrollments.enrolled,
    visited: totals.funnel.visited,
    invited: totals.funnel.invited,
    accepted: totals.funnel.accepted,
    messaged: totals.funnel.messaged,
    replied: totals.funnel.replied,
  };
  const summaryOf = (nodeId: string) => nodes.get(nodeId)?.summary ?? nodeId;
  return {
    campaign: {
      id: row.id,
      name: row.name,
      status: row.status,
      stopOnReply: row.stopOnReply,
      version: live
        ? {
            id: live.id,
            version: live.version,
            publishedAt: new Date(live.publishedAt).toISOString(),
          }
        : null,
      accounts: accounts.get(row.id) ?? [],
    },
    generatedAt: new Date().toISOString(),
    graph: graph
      ? {
          nodes: graph.nodes.map((n, index) => {
            const definition = findNodeDefinition(n.kind);
            return {
              id: n.id,
              kind: n.kind,
              label: definition?.label ?? n.kind,
              summary: definition?.summarize(n.config) ?? n.id,
              colour: definition?.colour ?? "#64748b",
              position: n.position ?? { x: 0, y: index * 200 },
            };
          }),
          edges: graph.edges.map((e) => ({
            id: e.id,
            source: e.source,
            sourceHandle: e.sourceHandle,
            target: e.target,
          })),
        }
      : null,
    enrollments,
    nodes: [...nodes.values()].map(({ config: _config, ...node }) => node),
    funnel: FUNNEL_STAGES.map((stage) => ({
      stage,
      label: FUNNEL_LABELS[stage],
      leads: funnelCounts[stage],
    })),
    rates: {
      acceptance: ratio(totals.funnel.accepted, totals.funnel.invited),
      reply: ratio(totals.funnel.replied, totals.funnel.texted),
      texted: totals.funnel.texted,
    },
    daily: [...daily.values()].sort((a, b) => a.date.localeCompare(b.date)),
    variants,
    feed: feed.map((a) => ({
      id: a.id,
      at: a.at,
      sentAt: a.sentAt,
      lead: {
        id: a.leadId,
        name: `${a.firstName} ${a.lastName}`.trim() || a.publicIdentifier,
        publicIdentifier: a.publicIdentifier,
      },
      nodeId: a.nodeId,
      node: summaryOf(a.nodeId),
      kind: a.kind,
      outcome: a.status,
      reason: a.reason,
      variant: a.variant,
      credits: a.credits,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The campaign list

export interface CampaignListFigures {
  invited: number;
  accepted: number;
  texted: number;
  replied: number;
  acceptanceRate: number | null;
  replyRate: number | null;
  creditsUsed: number;
}

export type CampaignListItem = CampaignSummary & { figures: CampaignListFigures };

/** The workspace's campaigns with their status, senders, counts, rates, credits, activity. */
export async function listCampaignsWithFigures(
  caller: Caller,
  options: { archived?: boolean } = {},
): Promise<{ campaigns: CampaignListItem[] }> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const { campaigns } = await listCampaigns(caller, options);
  const ids = campaigns.map((c) => c.id);
  const [credits, ...figures] = await Promise.all([
    creditsUsedByCampaign(db, w, ids),
    ...campaigns.map((c) =>
      c.counts.enrolled === 0 ? Promise.resolve(null) : modelOf(w, c.id).figures(db),
    ),
  ]);
  return {
    campaigns: campaigns.map((c, i) => {
      const funnel = figures[i]?.totals.funnel;
      const invited = funnel?.invited ?? 0;
      const accepted = funnel?.accepted ?? 0;
      const texted = funnel?.texted ?? 0;
      const replied = funnel?.replied ?? 0;
      return {
        ...c,
        figures: {
          invited,
          accepted,
          texted,
          replied,
          acceptanceRate: ratio(accepted, invited),
          replyRate: ratio(replied, texted),
          creditsUsed: credits.get(c.id) ?? 0,
        },
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The export

/** Cells a spreadsheet would run as a formula: = + - @, and tab or return in front of them. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV lines (with a trailing line break); formula-like cells get a leading apostrophe. */
export function csvLines(rows: string[][]): string {
  if (rows.length === 0) return "";
  return `${Papa.unparse(rows, { escapeFormulae: FORMULA_START, newline: "\r\n" })}\r\n`;
}

export const EXPORT_COLUMNS = [
  "public_identifier",
  "first_name",
  "last_name",
  "company",
  "title",
  "status",
  "current_step",
  "branch",
  "path",
  "outcome",
  "reason",
  "enrolled_at",
  "updated_at",
] as const;

const EXPORT_STATUS: Record<string, string> = {
  active: "in progress",
  done: "finished",
  failed: "failed",
  removed: "removed",
};

const EXPORT_PAGE = 2_000;

/**
 * The campaign's enrollments as CSV, streamed a page at a time: status, current step, branch
 * (the condition exits taken), path (every step left, with the exit of each condition) and
 * outcome. The page is `application/csv` with a file name, so browsers download it.
 */
export async function exportCampaignEnrollments(
  caller: Caller,
  input: z.infer<typeof dashboardInput>,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const row = await findCampaign(db, w, input.campaignId);
  if (!row) throw notFound("Campaign");
  const live = row.liveVersionId ? await findLiveVersion(db, w, row.liveVersionId) : null;
  const graph = (live?.graph ?? row.draftGraph) as GraphShape;
  const summaries = new Map(
    graph.nodes.map((n) => [
      n.id,
      { kind: n.kind, summary: findNodeDefinition(n.kind)?.summarize(n.config) ?? n.id },
    ]),
  );
  const stepText = (nodeId: string, exit: string | null) => {
    const node = summaries.get(nodeId);
    const text = node?.summary ?? nodeId;
    const conditional =
      exit !== null && exit !== "next" && findNodeDefinition(node?.kind)?.exits.length !== 1;
    return conditional ? `${text} (${exitLabel(node?.kind ?? null, exit).toLowerCase()})` : text;
  };
  const encoder = new TextEncoder();
  let after: string | null = null;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLines([[...EXPORT_COLUMNS]])));
          return;
        }
        const page = await exportPage(db, w, row.id, after, EXPORT_PAGE);
        if (page.length === 0) {
          controller.close();
          return;
        }
        after = page.at(-1)!.enrollmentId;
        const lines = page.map((e) => [
          e.publicIdentifier,
          e.firstName,
          e.lastName,
          e.company,
          e.title,
          EXPORT_STATUS[e.state] ?? e.state,
          summaries.get(e.nodeId)?.summary ?? e.nodeId,
          labelBranch(graph as Parameters<typeof labelBranch>[0], e.branch),
          e.steps
            .filter((s) => s.exit !== null)
            .map((s) => stepText(s.nodeId, s.exit))
            .concat(e.state === "active" ? [] : [summaries.get(e.nodeId)?.summary ?? e.nodeId])
            .join(" › "),
          e.outcome ?? "",
          e.reason ?? "",
          e.enrolledAt,
          e.updatedAt,
        ]);
        controller.enqueue(encoder.encode(csvLines(lines)));
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const slug = row.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return { filename: `${slug || "campaign"}-enrollments.csv`, body };
}
