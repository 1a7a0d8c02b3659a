import type { updateAccountSettingsAction } from "@/app/(app)/accounts/actions";
import { byActionKind } from "@/workflows/nodes/index";

// What the account settings form sends, read from its fields (components/accounts/
// account-settings-form.tsx); the server checks every value and names the ones to fix.

/** A number field's value; an empty field is not a number, so the server names it. */
function numberOf(form: FormData, name: string): number {
  const text = String(form.get(name) ?? "").trim();
  return text === "" ? Number.NaN : Number(text);
}

/** "20, 40, 60" (percent per week) → [0.2, 0.4, 0.6]. */
export function parseRamp(text: string): number[] {
  return text
    .split(/[\s,;%]+/)
    .filter((part) => part !== "")
    .map((part) => Number(part) / 100);
}

export function formatRamp(ramp: readonly number[]): string {
  return ramp.map((share) => `${Math.round(share * 1000) / 10}`).join(", ");
}

/**
 * A time input cannot show "24:00" (midnight at the end of the day), which the settings use
 * for a day that runs to its end; it shows "00:00" instead, and an end of "00:00" is sent back
 * as "24:00" (an end at the start of the day would be no working time at all).
 */
export function endOfDayToInput(end: string): string {
  return end === "24:00" ? "00:00" : end;
}

export function endOfDayFromInput(end: string): string {
  return end === "00:00" ? "24:00" : end;
}

/** The settings the form's fields say, as the account settings action takes them. */
export function accountSettingsFromForm(
  accountId: string,
  form: FormData,
): Parameters<typeof updateAccountSettingsAction>[0] {
  const warmupStart = String(form.get("warmupStartDate") ?? "");
  return {
    accountId,
    timeZone: String(form.get("timeZone") ?? ""),
    workingHours: {
      days: form.getAll("days").map(Number),
      start: String(form.get("start") ?? ""),
      end: endOfDayFromInput(String(form.get("end") ?? "")),
    },
    caps: {
      perDay: byActionKind((kind) => numberOf(form, `cap-${kind}`)),
      totalPerDay: numberOf(form, "totalPerDay"),
      connectPer7Days: numberOf(form, "connectPer7Days"),
    },
    warmup: {
      startDate: warmupStart === "" ? null : warmupStart,
      ramp: parseRamp(String(form.get("ramp") ?? "")),
    },
    safety: {
      pauseBelow: numberOf(form, "pauseBelow"),
      handoverAfterPausedHours: numberOf(form, "handoverAfterPausedHours"),
    },
    // A checkbox sends nothing when unticked: the form always has it, so absent means off.
    priorities: form.get("priorities") === "on",
    invitations: {
      withdrawAfterDays: numberOf(form, "withdrawAfterDays"),
      withdrawPerDay: numberOf(form, "withdrawPerDay"),
      pendingCeiling: numberOf(form, "pendingCeiling"),
    },
  };
}
