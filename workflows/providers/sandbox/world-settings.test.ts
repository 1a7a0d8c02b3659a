import { describe, expect, it } from "vitest";
import { accountSettings, mergeSettingsInput, SandboxWorldSettingsSchema } from "./world-settings";

describe("SandboxWorldSettingsSchema", () => {
  it("fills in the documented defaults", () => {
    const settings = SandboxWorldSettingsSchema.parse({});
    expect(settings.defaults).toEqual({
      acceptance: { probability: 0.35, minDelayHours: 2, maxDelayHours: 120 },
      reply: {
        afterMessage: 0.2,
        afterInmail: 0.15,
        afterNote: 0.03,
        minDelayHours: 1,
        maxDelayHours: 96,
        mix: {
          kinds: {
            interested: 0.2,
            question: 0.12,
            not_interested: 0.25,
            out_of_office: 0.1,
            referral: 0.08,
            unsubscribe: 0.05,
            thanks: 0.2,
          },
          languages: { en: 0.55, fr: 0.15, de: 0.15, es: 0.15 },
        },
      },
      network: { firstDegree: 0.05, secondDegree: 0.55, thirdDegree: 0.3 },
      people: {
        premium: 0.25,
        openProfileAmongPremium: 0.3,
        refusesInmail: 0.08,
        unreachable: 0.01,
      },
      safety: { invitationsPerDay: 60, invitationsPer7Days: 120, actionsPerDay: 250 },
      inmailBalance: 50,
    });
    expect(settings.accounts).toEqual({});
  });

  it("lets an account override single fields and inherit the rest from the world default", () => {
    const settings = SandboxWorldSettingsSchema.parse({
      defaults: { acceptance: { probability: 0.5 }, inmailBalance: 10 },
      accounts: { "acc-b": { acceptance: { maxDelayHours: 10 }, safety: { actionsPerDay: 5 } } },
    });
    const b = accountSettings(settings, "acc-b");
    expect(b.acceptance).toEqual({ probability: 0.5, minDelayHours: 2, maxDelayHours: 10 });
    expect(b.safety).toEqual({ invitationsPerDay: 60, invitationsPer7Days: 120, actionsPerDay: 5 });
    expect(b.inmailBalance).toBe(10);
    expect(accountSettings(settings, "acc-other")).toBe(settings.defaults);
  });

  it("gives the same result when parsed again", () => {
    const once = SandboxWorldSettingsSchema.parse({
      accounts: { a: { reply: { afterMessage: 1 } } },
    });
    expect(SandboxWorldSettingsSchema.parse(once)).toEqual(once);
  });

  it("refuses bad values, naming the account they belong to", () => {
    const result = SandboxWorldSettingsSchema.safeParse({
      accounts: { "acc-x": { acceptance: { minDelayHours: 10, maxDelayHours: 5 } } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([
      "accounts",
      "acc-x",
      "acceptance",
      "maxDelayHours",
    ]);
    expect(
      SandboxWorldSettingsSchema.safeParse({ defaults: { reply: { afterInmail: 1.5 } } }).success,
    ).toBe(false);
    expect(
      SandboxWorldSettingsSchema.safeParse({
        defaults: { network: { firstDegree: 0.5, secondDegree: 0.5, thirdDegree: 0.1 } },
      }).success,
    ).toBe(false);
    expect(SandboxWorldSettingsSchema.safeParse({ defaults: { inmailBalance: -1 } }).success).toBe(
      false,
    );
  });
});

describe("mergeSettingsInput", () => {
  it("merges nested objects and ignores undefined fields of the override", () => {
    expect(
      mergeSettingsInput({ a: { x: 1, y: 2 }, b: 3 }, { a: { y: 5, z: undefined }, b: undefined }),
    ).toEqual({ a: { x: 1, y: 5 }, b: 3 });
  });
});
