import { describe, expect, it } from "vitest";
import { ACTION_KINDS } from "@/workflows/nodes/index";
import {
  accountSettingsFromForm,
  endOfDayFromInput,
  formatRamp,
  parseRamp,
} from "./account-settings-values";

function filledForm(overrides: Record<string, string> = {}): FormData {
  const form = new FormData();
  const fields: Record<string, string> = {
    timeZone: "Europe/Paris",
    start: "09:00",
    end: "00:00",
    totalPerDay: "150",
    connectPer7Days: "100",
    warmupStartDate: "",
    ramp: "20, 40, 100",
    pauseBelow: "40",
    handoverAfterPausedHours: "48",
    withdrawAfterDays: "21",
    withdrawPerDay: "40",
    pendingCeiling: "400",
    ...Object.fromEntries(ACTION_KINDS.map((kind) => [`cap-${kind}`, "10"])),
    ...overrides,
  };
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  for (const day of ["1", "2", "3"]) form.append("days", day);
  return form;
}

describe("the account settings form's values", () => {
  it("sends the pause a seat may last before its untouched leads move, with the other safety and hygiene settings", () => {
    const values = accountSettingsFromForm("acct", filledForm());
    expect(values.safety).toEqual({ pauseBelow: 40, handoverAfterPausedHours: 48 });
    expect(values.invitations).toEqual({
      withdrawAfterDays: 21,
      withdrawPerDay: 40,
      pendingCeiling: 400,
    });
    expect(values).toMatchObject({
      accountId: "acct",
      timeZone: "Europe/Paris",
      workingHours: { days: [1, 2, 3], start: "09:00", end: "24:00" },
      warmup: { startDate: null, ramp: [0.2, 0.4, 1] },
    });
  });

  it("sends the order of sends: follow-ups first when ticked, in the order they fall due when not", () => {
    const ticked = filledForm();
    ticked.set("priorities", "on");
    expect(accountSettingsFromForm("acct", ticked).priorities).toBe(true);
    expect(accountSettingsFromForm("acct", filledForm()).priorities).toBe(false);
  });

  it("sends an emptied number field as not a number, for the server to name", () => {
    const values = accountSettingsFromForm("acct", filledForm({ handoverAfterPausedHours: " " }));
    expect(values.safety.handoverAfterPausedHours).toBeNaN();
  });

  it("reads and writes the ramp and the end of the day as the inputs show them", () => {
    expect(parseRamp("20% 40;60")).toEqual([0.2, 0.4, 0.6]);
    expect(formatRamp([0.2, 0.45])).toBe("20, 45");
    expect(endOfDayFromInput("00:00")).toBe("24:00");
    expect(endOfDayFromInput("18:00")).toBe("18:00");
  });
});
