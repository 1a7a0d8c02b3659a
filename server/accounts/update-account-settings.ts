import "server-only";

import { z } from "zod";
import { findSenderAccount, setSenderAccountPacing } from "@/db/queries/accounts";
import {
  ACTION_KINDS,
  LocalDateSchema,
  type PacingSettings,
  PacingSettingsSchema,
  TimeZoneSchema,
} from "@/workflows/engine/pacing/index";
import { invalidInput, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { accountIdInput } from "./account-shared";
import { workingHoursInput } from "./create-sandbox-account";

// The account editor: time zone, working hours, caps, warm-up, the safety threshold, the order
// of sends (priorities) and the invitation hygiene (withdraw after, withdrawals per day, pending
// ceiling). The
// form's fields are checked here with messages a person can act on, then the whole settings
// object goes through PacingSettingsSchema, the engine's own parser, before it is stored.

/** Far above any sane LinkedIn volume: a typo (2500 for 25) is refused rather than obeyed. */
export const MAX_CAP = 1000;
/** Weeks a warm-up ramp may list; the last value holds after. */
export const MAX_RAMP_WEEKS = 12;

const cap = z
  .int({ error: "Give a whole number." })
  .min(0, "A cap cannot be negative; 0 switches the action off.")
  .max(MAX_CAP, `At most ${MAX_CAP}.`);

export const capsInput = z.object({
  perDay: z.object(
    Object.fromEntries(ACTION_KINDS.map((kind) => [kind, cap])) as {
      [K in (typeof ACTION_KINDS)[number]]: typeof cap;
    },
  ),
  totalPerDay: cap,
  connectPer7Days: cap,
});

export const warmupInput = z.object({
  /** First day of the ramp; null: the account is warmed up and runs at full caps. */
  startDate: LocalDateSchema.nullable(),
  /** Share of each cap per week since the start, 0 < share ≤ 1. */
  ramp: z
    .array(
      z
        .number({ error: "Give each week as a percentage." })
        .gt(0, "Each week must allow more than 0 %.")
        .lte(1, "No week may go above 100 %."),
    )
    .min(1, "Give at least one week.")
    .max(MAX_RAMP_WEEKS, `At most ${MAX_RAMP_WEEKS} weeks.`)
    .refine(
      (ramp) => ramp.every((share, week) => week === 0 || share >= (ramp[week - 1] ?? 0)),
      "A warm-up only goes up: each week at least as much as the one before.",
    ),
});

export const accountSettingsInput = accountIdInput.extend({
  timeZone: z.string().trim().pipe(TimeZoneSchema),
  workingHours: workingHoursInput,
  caps: capsInput,
  warmup: warmupInput,
  safety: z.object({
    pauseBelow: z
      .int({ error: "Give a whole number from 0 to 100." })
      .min(0, "From 0 (never pause) to 100.")
      .max(100, "From 0 (never pause) to 100."),
    /** Hours paused before its campaigns' leads it never reached move to other seats. */
    handoverAfterPausedHours: z
      .int({ error: "Give a whole number of hours from 1 to 2160." })
      .min(1, "From 1 to 2160 hours.")
      .max(2160, "From 1 to 2160 hours.")
      .optional(),
  }),
  /** Follow-ups before InMails before first touches; absent (an older caller): kept as stored. */
  priorities: z.boolean().optional(),
  /** Absent (an older caller): the stored ones are kept. */
  invitations: z
    .object({
      withdrawAfterDays: z
        .int({ error: "Give a whole number of days." })
        .min(0, "From 0 (never withdraw) to 365.")
        .max(365, "From 0 (never withdraw) to 365."),
      withdrawPerDay: z
        .int({ error: "Give a whole number." })
        .min(0, "From 0 to 200.")
        .max(200, "From 0 to 200."),
      pendingCeiling: z
        .int({ error: "Give a whole number." })
        .min(1, "From 1 to 5000.")
        .max(5000, "From 1 to 5000."),
    })
    .optional(),
});
export type AccountSettingsInput = z.input<typeof accountSettingsInput>;

/**
 * Saves the editor's settings over the stored ones. What the editor does not show (the gap
 * between sends, the daily late start) is kept as it was.
 */
export async function updateAccountSettings(
  caller: Caller,
  input: z.infer<typeof accountSettingsInput>,
): Promise<{ id: string; settings: PacingSettings }> {
  const { db, workspace } = caller;
  const account = await findSenderAccount(db, workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  const stored = PacingSettingsSchema.safeParse(account.pacing);
  const { accountId: _, invitations, priorities, ...edited } = input;
  const settings = PacingSettingsSchema.safeParse({
    ...(stored.success ? stored.data : {}),
    ...edited,
    ...(invitations ? { invitations } : {}),
    ...(priorities === undefined ? {} : { priorities }),
    // The editor sets the threshold; a pause limit it does not send stays as stored.
    safety: {
      ...(stored.success ? stored.data.safety : {}),
      ...Object.fromEntries(Object.entries(edited.safety).filter(([, v]) => v !== undefined)),
    },
  });
  if (!settings.success) throw invalidInput(settings.error);
  if (!(await setSenderAccountPacing(db, workspace.workspaceId, account.id, settings.data))) {
    throw notFound("Sender account");
  }
  return { id: account.id, settings: settings.data };
}
