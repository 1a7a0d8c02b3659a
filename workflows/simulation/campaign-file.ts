/**
 * The campaign file `outflow simulate` reads: a graph (or a starter template), the sender
 * accounts, the credit pool, the sandbox's parameters and the leads. Pure: parsing and resolving
 * a file touches neither the clock nor the disk, so the same file always gives the same run.
 * The format is documented in examples/simulations/README.md.
 */

import { z } from "zod";
import { CREDIT_PLANS, PlanIdSchema } from "../credits/plans";
import { poolNumberIssues } from "../credits/pool";
import { RefundPolicySchema } from "../credits/refunds";
import {
  GapSchema,
  LocalDateSchema,
  type PacingSettingsInput,
  PacingSettingsSchema,
  TimeZoneSchema,
  WorkingHoursSchema,
} from "../engine/pacing/settings";
import { DEFAULT_WEIGHT, WEIGHT_MAX, WEIGHT_MIN } from "../engine/priority";
import { byActionKind } from "../nodes/catalog";
import {
  mergeSettingsInput,
  type SandboxWorldSettingsInput,
  SandboxWorldSettingsSchema,
} from "../providers/sandbox/world-settings";
import { drawInt, seedFor } from "../random";
import { starterTemplates } from "../templates/index";
import type { SimulationCampaign, SimulationSpec } from "./assemble";

/** A Monday, 07:00 UTC: before working hours in Europe. Fixed, so runs never depend on today. */
export const DEFAULT_START = "2026-03-02T07:00:00Z";
export const DEFAULT_DAYS = 30;
export const DEFAULT_SEED = "outflow";
export const DEFAULT_LEAD_COUNT = 100;
export const MAX_LEADS = 5000;
export const MAX_DAYS = 366;
/**
 * The sandbox seats' own InMail balance when the file does not set one: high enough that the
 * credit pool, not the sandbox, is what runs out.
 */
export const SIMULATION_SANDBOX_INMAIL_BALANCE = 1_000_000;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const STARTER_IDS = starterTemplates.map((template) => template.id);
const quotedIds = STARTER_IDS.map((id) => `“${id}”`).join(", ");

/** A graph object (checked later by validateGraph), or `{"template": "<starter id>"}`. */
const GraphSourceSchema = z
  .custom<Record<string, unknown>>(isPlainObject, {
    message: 'Expected a graph object or {"template": "<starter template id>"}',
  })
  .superRefine((graph, ctx) => {
    if (!Object.hasOwn(graph, "template")) return;
    const { template, ...rest } = graph;
    if (typeof template !== "string" || !STARTER_IDS.includes(template)) {
      ctx.addIssue({
        code: "custom",
        path: ["template"],
        message: `Unknown starter template ${JSON.stringify(template)}; expected one of ${quotedIds}`,
      });
    }
    if (Object.keys(rest).length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `A template reference has only the “template” key (found ${Object.keys(rest).join(", ")})`,
      });
    }
  });

const CapSchema = z.int().min(0);

/** Cap overrides; anything left out keeps the default (workflows/engine/pacing/settings.ts). */
const CampaignCapsSchema = z.strictObject({
  perDay: z
    .strictObject(byActionKind(() => CapSchema))
    .partial()
    .optional(),
  totalPerDay: CapSchema.optional(),
  connectPer7Days: CapSchema.optional(),
});

export const CampaignAccountSchema = z
  .strictObject({
    /** Names the account in the trace; also its sandbox (provider) account id. */
    id: z.string().min(1, "An account needs an id"),
    timeZone: TimeZoneSchema,
    workingHours: WorkingHoursSchema.strict().optional(),
    /** First day of the warm-up ramp (YYYY-MM-DD); null or absent: fully warmed up. */
    warmupStart: LocalDateSchema.nullable().optional(),
    caps: CampaignCapsSchema.optional(),
    gap: GapSchema.strict().optional(),
    /** Sends that find the seat busy queue by priority and fair share (README, Priorities). */
    priorities: z.boolean().optional(),
  })
  .superRefine((account, ctx) => {
    // Settings that are valid one by one may still clash (e.g. a very short working day);
    // invalid working hours are already reported on their own.
    if (account.workingHours && !WorkingHoursSchema.safeParse(account.workingHours).success) return;
    const parsed = PacingSettingsSchema.safeParse(accountPacing(account));
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === "dailyStartOffsetMaxMinutes") {
        ctx.addIssue({
          code: "custom",
          path: ["workingHours"],
          message: "The working day must be longer than the 30 minutes a day may start late",
        });
      } else {
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      }
    }
  });
export type CampaignAccount = z.output<typeof CampaignAccountSchema>;

export const CampaignPoolSchema = z
  .strictObject({
    plan: PlanIdSchema,
    /** InMail credits in the pool when the run starts. */
    balance: z.int().min(0),
    /** Team and custom plans only (a custom plan needs both): credits a month, most held. */
    allowance: z.int().min(0).max(100_000).optional(),
    cap: z.int().min(0).max(100_000).optional(),
    /** Day of the month credits renew (1–31). */
    renewalDay: z.int().min(1).max(31).default(1),
    /** Refunds on reply (`on_reply`, window and delay in days) or none; the plan's default. */
    refundPolicy: RefundPolicySchema.optional(),
  })
  .superRefine((pool, ctx) => {
    const plan = CREDIT_PLANS[pool.plan];
    if (pool.plan === "custom" && (pool.allowance === undefined || pool.cap === undefined)) {
      for (const field of ["allowance", "cap"] as const) {
        if (pool[field] !== undefined) continue;
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `A custom plan needs its ${field === "cap" ? "cap (the most it can hold)" : "monthly allowance"}`,
        });
      }
      return;
    }
    const current = { allowance: plan.allowancePerMonth, cap: plan.cap };
    for (const issue of poolNumberIssues(plan, pool, current)) {
      ctx.addIssue({
        code: "custom",
        path: [issue.path],
        message: issue.message.replace(/\.$/, ""),
      });
    }
  });
export type CampaignPool = z.output<typeof CampaignPoolSchema>;

export const CampaignLeadSchema = z.strictObject({
  publicIdentifier: z.string().min(1, "A lead needs a publicIdentifier"),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  company: z.string().optional(),
  title: z.string().optional(),
  custom: z.record(z.string(), z.string()).optional(),
});
export type CampaignLead = z.output<typeof CampaignLeadSchema>;

const LeadCountSchema = z.int().min(1).max(MAX_LEADS);

const LeadsSchema = z.union([
  z.strictObject({ count: LeadCountSchema }),
  z
    .array(CampaignLeadSchema)
    .min(1, "List at least one lead, or give {count: N}")
    .max(MAX_LEADS)
    .superRefine((leads, ctx) => {
      const seen = new Set<string>();
      leads.forEach((lead, index) => {
        if (seen.has(lead.publicIdentifier)) {
          ctx.addIssue({
            code: "custom",
            path: [index, "publicIdentifier"],
            message: `Lead “${lead.publicIdentifier}” is listed twice`,
          });
        }
        seen.add(lead.publicIdentifier);
      });
    }),
]);

/** Sandbox settings as written (the input form), checked against the world's own schema. */
const SandboxSettingsSchema = z
  .custom<SandboxWorldSettingsInput>(isPlainObject, {
    message: "Expected sandbox settings: {defaults?, accounts?}",
  })
  .superRefine((settings, ctx) => {
    const parsed = SandboxWorldSettingsSchema.safeParse(settings);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  });

const InstantSchema = z.iso.datetime({
  offset: true,
  error: "Expected an ISO 8601 instant, e.g. 2026-03-02T07:00:00Z",
});

export const MAX_CAMPAIGNS = 20;
export const MAX_SCRIPTED = 200;

/** One campaign of a file that runs several on the same seats (`campaigns`). */
export const CampaignEntrySchema = z.strictObject({
  /** Names the campaign in the trace. */
  id: z.string().min(1, "A campaign needs an id").max(64),
  graph: GraphSourceSchema,
  leads: LeadsSchema.default({ count: DEFAULT_LEAD_COUNT }),
  /** When it is launched; the file's `start` when absent. */
  start: InstantSchema.optional(),
  /** Share of a busy seat against the other campaigns at the same priority (1–10). */
  weight: z.int().min(WEIGHT_MIN).max(WEIGHT_MAX).default(DEFAULT_WEIGHT),
  /** The accounts (ids) it sends from; every account when absent. */
  seats: z.array(z.string().min(1)).min(1).optional(),
  /** The file's `stopOnReply` when absent. */
  stopOnReply: z.boolean().optional(),
});
export type CampaignEntry = z.output<typeof CampaignEntrySchema>;

/**
 * Something that happens at a given virtual time: a seat paused, restricted by LinkedIn or
 * active again (as the engine sets it), or a campaign paused or running again.
 */
export const ScriptedChangeSchema = z.union([
  z.strictObject({
    at: InstantSchema,
    account: z.string().min(1),
    status: z.enum(["paused", "restricted", "active"]),
  }),
  z.strictObject({
    at: InstantSchema,
    campaign: z.string().min(1),
    status: z.enum(["paused", "running"]),
  }),
]);
export type ScriptedChange = z.output<typeof ScriptedChangeSchema>;

export const CampaignFileSchema = z
  .strictObject({
    /** Free text for people reading the file. */
    name: z.string().optional(),
    description: z.string().optional(),
    /** One campaign's graph; or `campaigns`, several sharing the accounts and the pool. */
    graph: GraphSourceSchema.optional(),
    campaigns: z.array(CampaignEntrySchema).min(1).max(MAX_CAMPAIGNS).optional(),
    script: z.array(ScriptedChangeSchema).max(MAX_SCRIPTED).optional(),
    accounts: z.array(CampaignAccountSchema).min(1, "A campaign needs at least one account"),
    /** One credit pool all the accounts draw their InMail credits from. */
    pool: CampaignPoolSchema.optional(),
    sandbox: SandboxSettingsSchema.optional(),
    leads: LeadsSchema.optional(),
    /** The virtual clock's first instant (ISO 8601 with an offset or Z). */
    start: InstantSchema.default(DEFAULT_START),
    days: z.int().min(1).max(MAX_DAYS).default(DEFAULT_DAYS),
    seed: z.string().min(1).default(DEFAULT_SEED),
    stopOnReply: z.boolean().default(true),
  })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.accounts.forEach((account, index) => {
      if (ids.has(account.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["accounts", index, "id"],
          message: `Account “${account.id}” is listed twice`,
        });
      }
      ids.add(account.id);
    });
    campaignIssues(file, ids, ctx);
    const overridden = isPlainObject(file.sandbox?.accounts) ? file.sandbox.accounts : {};
    for (const id of Object.keys(overridden)) {
      if (!ids.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["sandbox", "accounts", id],
          message: `No account “${id}” in “accounts”`,
        });
      }
    }
  });
/** A file runs one graph or several campaigns; every name it uses must exist. */
function campaignIssues(
  file: {
    graph?: unknown;
    leads?: unknown;
    campaigns?: CampaignEntry[];
    script?: ScriptedChange[];
    start: string;
  },
  accountIds: ReadonlySet<string>,
  ctx: z.RefinementCtx,
) {
  const issue = (path: PropertyKey[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  if (file.graph === undefined && file.campaigns === undefined) {
    issue(["graph"], "Give a graph, or several campaigns in “campaigns”");
  }
  if (file.graph !== undefined && file.campaigns !== undefined) {
    issue(["campaigns"], "Give either a graph or “campaigns”, not both");
  }
  if (file.campaigns !== undefined && file.leads !== undefined) {
    issue(["leads"], "With “campaigns”, each campaign lists its own leads");
  }
  const campaignIds = new Set<string>();
  file.campaigns?.forEach((campaign, index) => {
    if (campaignIds.has(campaign.id)) {
      issue(["campaigns", index, "id"], `Campaign “${campaign.id}” is listed twice`);
    }
    campaignIds.add(campaign.id);
    if (campaign.start !== undefined && Date.parse(campaign.start) < Date.parse(file.start)) {
      issue(["campaigns", index, "start"], "A campaign cannot start before the run");
    }
    campaign.seats?.forEach((seat, at) => {
      if (!accountIds.has(seat)) {
        issue(["campaigns", index, "seats", at], `No account “${seat}” in “accounts”`);
      }
    });
  });
  file.script?.forEach((change, index) => {
    if ("account" in change && !accountIds.has(change.account)) {
      issue(["script", index, "account"], `No account “${change.account}” in “accounts”`);
    }
    if ("campaign" in change && !campaignIds.has(change.campaign)) {
      issue(["script", index, "campaign"], `No campaign “${change.campaign}” in “campaigns”`);
    }
  });
}

export type CampaignFile = z.output<typeof CampaignFileSchema>;
export type CampaignFileInput = z.input<typeof CampaignFileSchema>;

/** Zod issues in words, one line each: `accounts[0].timeZone: Unknown IANA time zone …`. */
export function describeIssues(error: z.ZodError): string[] {
  const lines = error.issues.map((issue) => {
    const where = issue.path.reduce<string>((text, part) => {
      if (typeof part === "number") return `${text}[${part}]`;
      const key = String(part);
      return text === "" ? key : `${text}.${key}`;
    }, "");
    return where === "" ? issue.message : `${where}: ${issue.message}`;
  });
  // A field's own check and the whole account's check may report the same problem.
  return [...new Set(lines)];
}

export function accountPacing(account: {
  timeZone: string;
  workingHours?: unknown;
  warmupStart?: string | null;
  caps?: unknown;
  gap?: unknown;
  priorities?: boolean;
}): PacingSettingsInput {
  return {
    timeZone: account.timeZone,
    ...(account.workingHours === undefined
      ? {}
      : { workingHours: account.workingHours as PacingSettingsInput["workingHours"] }),
    ...(account.caps === undefined ? {} : { caps: account.caps as PacingSettingsInput["caps"] }),
    ...(account.gap === undefined ? {} : { gap: account.gap as PacingSettingsInput["gap"] }),
    warmup: { startDate: account.warmupStart ?? null },
    ...(account.priorities === undefined ? {} : { priorities: account.priorities }),
  };
}

// ── Generated leads ────────────────────────────────────────────────────────────────────────

const FIRST_NAMES =
  "Alice Amara Ben Camille Carlos Chloé Daniel Elena Farah Grace Hiroshi Ines Jonas Karin Leila Lucas Maya Noah Olga Priya Rafael Sofia Tom Yuki".split(
    " ",
  );
const LAST_NAMES =
  "Andersen Bianchi Costa Dubois Evans Fischer García Hughes Ivanova Jansen Kim Laurent Müller Novak O'Brien Patel Rossi Schmidt Tanaka Walsh".split(
    " ",
  );
const COMPANIES =
  "Acme Analytics, Brightpath, Cobalt Systems, Driftwood Labs, Evergreen Health, Fjord Logistics, Granite Capital, Helix Robotics, Ironbark Energy, Juniper Retail, Keystone Media, Lumen Software".split(
    ", ",
  );
const TITLES =
  "VP Sales, Head of Growth, Sales Director, Chief Revenue Officer, Marketing Manager, Founder, Head of Partnerships, Business Development Lead".split(
    ", ",
  );

function pick<T>(seed: string, lead: number, what: string, list: readonly T[]): T {
  return list[drawInt(seedFor(seed, "simulated-lead", lead, what), 0, list.length - 1)]!;
}

/** `lead-0001`… with plausible names drawn from the seed: the same seed, the same people. */
export function generateLeads(count: number, seed: string, skip: ReadonlySet<string> = new Set()) {
  const leads: CampaignLead[] = [];
  for (let n = 1; leads.length < count; n++) {
    const publicIdentifier = `lead-${String(n).padStart(4, "0")}`;
    if (skip.has(publicIdentifier)) continue;
    leads.push({
      publicIdentifier,
      firstName: pick(seed, n, "first-name", FIRST_NAMES),
      lastName: pick(seed, n, "last-name", LAST_NAMES),
      company: pick(seed, n, "company", COMPANIES),
      title: pick(seed, n, "title", TITLES),
    });
  }
  return leads;
}

// ── Resolving a file into a run ────────────────────────────────────────────────────────────

/** What the command line may override. */
export interface CampaignOverrides {
  leads?: number;
  days?: number;
  seed?: string;
}

/** A file with every default applied and every reference resolved: what the engine runs. */
export interface ResolvedCampaign extends SimulationSpec {
  /** The starter template's id when the file named one (one campaign). */
  template: string | null;
  accounts: Array<{ id: string; pacing: PacingSettingsInput }>;
  pool: CampaignPool | null;
  sandbox: SandboxWorldSettingsInput;
  leads: CampaignLead[];
  stopOnReply: boolean;
}

/** A graph source as the engine runs it, and the starter template it names, if any. */
function resolveGraph(source: Record<string, unknown>) {
  const template =
    typeof source.template === "string" && Object.keys(source).length === 1
      ? source.template
      : null;
  const graph =
    template === null
      ? source
      : structuredClone(starterTemplates.find((candidate) => candidate.id === template)!.graph);
  return { template, graph };
}

/** The listed leads, topped up (or cut) to `wanted`, generated ones skipping names in use. */
function resolveLeads(
  leads: CampaignFile["leads"],
  wanted: number | undefined,
  seed: string,
  taken: ReadonlySet<string> = new Set(),
): CampaignLead[] {
  const source = leads ?? { count: DEFAULT_LEAD_COUNT };
  if (!Array.isArray(source)) return generateLeads(wanted ?? source.count, seed, taken);
  const count = wanted ?? source.length;
  const listed = source.slice(0, count);
  if (listed.length < count) {
    const skip = new Set([...taken, ...listed.map((lead) => lead.publicIdentifier)]);
    listed.push(...generateLeads(count - listed.length, seed, skip));
  }
  return listed;
}

export function resolveCampaignFile(
  file: CampaignFile,
  overrides: CampaignOverrides = {},
): ResolvedCampaign {
  const seed = overrides.seed ?? file.seed;
  const start = new Date(file.start);
  // The pool, not the sandbox seat, should be what runs out of InMail credits.
  const sandbox = mergeSettingsInput<SandboxWorldSettingsInput>(
    { defaults: { inmailBalance: SIMULATION_SANDBOX_INMAIL_BALANCE } },
    file.sandbox ?? {},
  );
  const shared = {
    accounts: file.accounts.map((account) => ({ id: account.id, pacing: accountPacing(account) })),
    pool: file.pool ?? null,
    sandbox,
    start,
    days: overrides.days ?? file.days,
    seed,
    stopOnReply: file.stopOnReply,
  };
  if (!file.campaigns) {
    const { template, graph } = resolveGraph(file.graph ?? {});
    return { ...shared, template, graph, leads: resolveLeads(file.leads, overrides.leads, seed) };
  }
  // Generated leads of a later campaign are new people: they skip the names already in use.
  const taken = new Set<string>();
  const campaigns: SimulationCampaign[] = file.campaigns.map((entry) => {
    const { template, graph } = resolveGraph(entry.graph);
    const leads = resolveLeads(entry.leads, overrides.leads, seed, taken);
    for (const lead of leads) taken.add(lead.publicIdentifier);
    return {
      id: entry.id,
      template,
      graph,
      leads,
      start: entry.start === undefined ? start : new Date(entry.start),
      weight: entry.weight,
      seats: entry.seats ?? null,
      stopOnReply: entry.stopOnReply ?? file.stopOnReply,
    };
  });
  const everyone = new Map(campaigns.flatMap((c) => c.leads).map((l) => [l.publicIdentifier, l]));
  return {
    ...shared,
    template: null,
    graph: campaigns[0]!.graph,
    leads: [...everyone.values()],
    campaigns,
    script: (file.script ?? []).map((change) => ({ ...change, at: new Date(change.at) })),
  };
}
