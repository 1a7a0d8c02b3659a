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
import { byActionKind } from "../nodes/catalog";
import {
  mergeSettingsInput,
  type SandboxWorldSettingsInput,
  SandboxWorldSettingsSchema,
} from "../providers/sandbox/world-settings";
import { drawInt, seedFor } from "../random";
import { starterTemplates } from "../templates/index";

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

export const CampaignFileSchema = z
  .strictObject({
    /** Free text for people reading the file. */
    name: z.string().optional(),
    description: z.string().optional(),
    graph: GraphSourceSchema,
    accounts: z.array(CampaignAccountSchema).min(1, "A campaign needs at least one account"),
    /** One credit pool all the accounts draw their InMail credits from. */
    pool: CampaignPoolSchema.optional(),
    sandbox: SandboxSettingsSchema.optional(),
    leads: LeadsSchema.default({ count: DEFAULT_LEAD_COUNT }),
    /** The virtual clock's first instant (ISO 8601 with an offset or Z). */
    start: z.iso
      .datetime({ offset: true, error: "Expected an ISO 8601 instant, e.g. 2026-03-02T07:00:00Z" })
      .default(DEFAULT_START),
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
export interface ResolvedCampaign {
  /** The starter template's id when the file named one. */
  template: string | null;
  graph: unknown;
  accounts: Array<{ id: string; pacing: PacingSettingsInput }>;
  pool: CampaignPool | null;
  sandbox: SandboxWorldSettingsInput;
  leads: CampaignLead[];
  start: Date;
  days: number;
  seed: string;
  stopOnReply: boolean;
}

export function resolveCampaignFile(
  file: CampaignFile,
  overrides: CampaignOverrides = {},
): ResolvedCampaign {
  const template =
    typeof file.graph.template === "string" && Object.keys(file.graph).length === 1
      ? file.graph.template
      : null;
  const graph =
    template === null
      ? file.graph
      : structuredClone(starterTemplates.find((candidate) => candidate.id === template)!.graph);
  const seed = overrides.seed ?? file.seed;
  let leads: CampaignLead[];
  if (Array.isArray(file.leads)) {
    const wanted = overrides.leads ?? file.leads.length;
    leads = file.leads.slice(0, wanted);
    if (leads.length < wanted) {
      const listed = new Set(leads.map((lead) => lead.publicIdentifier));
      leads.push(...generateLeads(wanted - leads.length, seed, listed));
    }
  } else {
    leads = generateLeads(overrides.leads ?? file.leads.count, seed);
  }
  // The pool, not the sandbox seat, should be what runs out of InMail credits.
  const sandbox = mergeSettingsInput<SandboxWorldSettingsInput>(
    { defaults: { inmailBalance: SIMULATION_SANDBOX_INMAIL_BALANCE } },
    file.sandbox ?? {},
  );
  return {
    template,
    graph,
    accounts: file.accounts.map((account) => ({ id: account.id, pacing: accountPacing(account) })),
    pool: file.pool ?? null,
    sandbox,
    leads,
    start: new Date(file.start),
    days: overrides.days ?? file.days,
    seed,
    stopOnReply: file.stopOnReply,
  };
}
