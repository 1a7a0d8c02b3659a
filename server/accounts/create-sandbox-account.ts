import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createSenderAccount } from "@/db/queries/launch";
import {
  LocalDateSchema,
  PacingSettingsSchema,
  TimeZoneSchema,
} from "@/workflows/engine/pacing/index";
import { WorkingHoursInputSchema } from "@/workflows/engine/pacing/settings";
import { invalidInput } from "../http/errors";
import type { Caller } from "../http/guard";

/** The engine's own working-hours rules (workflows/engine/pacing/settings.ts). */
export const workingHoursInput = WorkingHoursInputSchema;

export const createSandboxAccountInput = z.object({
  name: z.string().trim().min(2, "Give the account a name of at least 2 characters.").max(80),
  timeZone: z.string().trim().pipe(TimeZoneSchema),
  workingHours: workingHoursInput.default({ days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" }),
  /** First day of warm-up; absent or null: the account is treated as fully warmed up. */
  warmupStartDate: LocalDateSchema.nullish(),
});

export type CreateSandboxAccountInput = z.input<typeof createSandboxAccountInput>;

/** Adds a sandbox seat: a simulated LinkedIn account that the engine can send from at once. */
export async function createSandboxAccount(
  caller: Caller,
  input: z.infer<typeof createSandboxAccountInput>,
) {
  const pacing = PacingSettingsSchema.safeParse({
    timeZone: input.timeZone,
    workingHours: input.workingHours,
    warmup: { startDate: input.warmupStartDate ?? null },
  });
  if (!pacing.success) throw invalidInput(pacing.error);
  const id = await createSenderAccount(caller.db, caller.workspace.workspaceId, {
    name: input.name,
    provider: "sandbox",
    // The sandbox world keys everything it remembers by this id: a fresh one per account.
    providerAccountId: `sandbox-${randomUUID()}`,
    pacing: pacing.data,
  });
  return { id, name: input.name, status: "active" };
}
