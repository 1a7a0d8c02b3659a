/**
 * Parameters of the sandbox LinkedIn world: how people are spread, how often and how fast they
 * accept and reply, when LinkedIn restricts a seat, and how many InMail credits a seat starts
 * with. A world-level default applies to every sandbox account; an account may override any
 * field, and inherits the rest from the default.
 */
import { z } from "zod";
import type { ActionKind, ProviderAccountRef, ProviderLeadRef, ProviderOutcome } from "../types";
import { SandboxReplyMixSchema } from "./replies";

const probability = z.number().min(0).max(1);
const hours = z.number().positive().finite();
const count = z.int().min(0);

const delayOrdered = (range: { minDelayHours: number; maxDelayHours: number }) =>
  range.minDelayHours <= range.maxDelayHours;
const delayMessage = {
  message: "The shortest delay must not exceed the longest",
  path: ["maxDelayHours"],
};

export const SandboxAcceptanceSchema = z
  .object({
    /** Share of invitations that end up accepted. */
    probability: probability.default(0.35),
    /** Delay from invitation to acceptance, drawn log-uniformly (2 h – 5 days). */
    minDelayHours: hours.default(2),
    maxDelayHours: hours.default(5 * 24),
  })
  .refine(delayOrdered, delayMessage);

export const SandboxReplySchema = z
  .object({
    /** Chance that a message to a connection gets a reply. */
    afterMessage: probability.default(0.2),
    /** Chance that an InMail gets a reply, in the InMail's own chat. */
    afterInmail: probability.default(0.15),
    /** Chance that a lead who accepted an invitation with a note replies to the note. */
    afterNote: probability.default(0.03),
    /** Delay from the message (or the acceptance, for a note) to the reply (1 h – 4 days). */
    minDelayHours: hours.default(1),
    maxDelayHours: hours.default(4 * 24),
    /**
     * What replies say and in which languages (see replies.ts). Languages are a person's trait,
     * so they are read from the world-level default only.
     */
    mix: SandboxReplyMixSchema.prefault({}),
  })
  .refine(delayOrdered, delayMessage);

/** Shares of people by network distance to the account; the rest are out of network. */
export const SandboxNetworkSchema = z
  .object({
    firstDegree: probability.default(0.05),
    secondDegree: probability.default(0.55),
    thirdDegree: probability.default(0.3),
  })
  .refine((shares) => shares.firstDegree + shares.secondDegree + shares.thirdDegree <= 1 + 1e-9, {
    message: "The 1st, 2nd and 3rd degree shares must not add up to more than 1",
  });

/**
 * Traits of people, whoever looks at them. The world reads these from the world-level default
 * only: a person is Premium or not for every account (network distance, by contrast, is per
 * account and follows the account's own shares).
 */
export const SandboxPeopleSchema = z.object({
  premium: probability.default(0.25),
  /** Share of Premium members with Open Profile switched on (InMail to them is free). */
  openProfileAmongPremium: probability.default(0.3),
  /** Share of people without Open Profile who refuse InMail. */
  refusesInmail: probability.default(0.08),
  /** Share of people nobody can reach (closed or blocked profiles). */
  unreachable: probability.default(0.01),
});

/** Past these, the world restricts the account, as LinkedIn does with bursts. */
export const SandboxSafetySchema = z.object({
  /** Invitations in one UTC day. */
  invitationsPerDay: count.default(60),
  /** Invitations in any rolling 7 days. */
  invitationsPer7Days: count.default(120),
  /** All actions together (visits, follows, invitations, messages, InMails) in one UTC day. */
  actionsPerDay: count.default(250),
});

export const SandboxAccountSettingsSchema = z.object({
  acceptance: SandboxAcceptanceSchema.prefault({}),
  reply: SandboxReplySchema.prefault({}),
  network: SandboxNetworkSchema.prefault({}),
  people: SandboxPeopleSchema.prefault({}),
  safety: SandboxSafetySchema.prefault({}),
  /** Paid InMail credits the seat starts with (change later with `setInmailBalance`). */
  inmailBalance: count.default(50),
});
export type SandboxAccountSettings = z.output<typeof SandboxAccountSettingsSchema>;
/** Every field optional: also the shape of a per-account override. */
export type SandboxAccountSettingsInput = z.input<typeof SandboxAccountSettingsSchema>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Deep merge of settings inputs: fields of `override` win, absent ones are inherited. */
export function mergeSettingsInput<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return (override === undefined ? base : override) as T;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = mergeSettingsInput(base[key], value);
  }
  return merged as T;
}

/**
 * `{defaults, accounts}` where `accounts` is keyed by the sandbox (provider) account id. The
 * parsed form holds every overridden account fully resolved, so parsing it again changes nothing.
 */
export const SandboxWorldSettingsSchema = z
  .object({
    defaults: SandboxAccountSettingsSchema.prefault({}),
    accounts: z
      .record(
        z.string(),
        z.custom<SandboxAccountSettingsInput>(isPlainObject, "Expected an object of overrides"),
      )
      .default({}),
  })
  .transform((world, ctx) => {
    const accounts: Record<string, SandboxAccountSettings> = {};
    for (const [accountId, override] of Object.entries(world.accounts)) {
      const parsed = SandboxAccountSettingsSchema.safeParse(
        mergeSettingsInput(world.defaults, override),
      );
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({
            code: "custom",
            message: issue.message,
            path: ["accounts", accountId, ...issue.path],
          });
        }
        continue;
      }
      accounts[accountId] = parsed.data;
    }
    return { defaults: world.defaults, accounts };
  });
export type SandboxWorldSettings = z.output<typeof SandboxWorldSettingsSchema>;
export type SandboxWorldSettingsInput = z.input<typeof SandboxWorldSettingsSchema>;

/** The settings in force for one sandbox account. */
export function accountSettings(
  world: SandboxWorldSettings,
  providerAccountId: string,
): SandboxAccountSettings {
  return world.accounts[providerAccountId] ?? world.defaults;
}

interface SendCallBase {
  account: ProviderAccountRef;
  lead: ProviderLeadRef;
  idempotencyKey: string;
  /** `ctx.at` of the send. */
  at: Date;
}

type OtherActionKind = Exclude<ActionKind, "visit" | "follow" | "connect" | "message" | "inmail">;

/** A call the world received, as shown to the scripted-failure hook. */
export type SandboxCall =
  | (SendCallBase & { method: "visit" | "follow" })
  | (SendCallBase & { method: "invite"; input: { note: string | null } })
  | (SendCallBase & { method: "message"; input: { text: string; chatId?: string | null } })
  | (SendCallBase & { method: "inmail"; input: { subject: string; body: string } })
  /** Any other action kind: named by its kind, with the request its step built. */
  | (SendCallBase & { method: OtherActionKind; input: unknown })
  | {
      method: "reconcile";
      account: ProviderAccountRef;
      lead: ProviderLeadRef;
      kind: ActionKind;
      idempotencyKey: string;
      since: Date;
    }
  | { method: "inmailBalance"; account: ProviderAccountRef };

/**
 * Tests script failures with this hook. It sees every call of an account that is not restricted,
 * before the world acts, and answers:
 * - `null`: behave normally;
 * - a `ProviderOutcome`: answer it and deliver nothing (`unknown` is then a timeout before the
 *   send went through); `restricted` also restricts the account for good;
 * - `"timeout-after-send"`: deliver normally (record, schedule), then answer `unknown`.
 * For `reconcile`, an outcome other than `sent` / `not_sent` answers `unknown`; for
 * `inmailBalance`, any outcome answers `null` (cannot tell).
 */
export type SandboxScript = (call: SandboxCall) => ProviderOutcome | "timeout-after-send" | null;
