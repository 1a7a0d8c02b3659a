import { describe, expect, it } from "vitest";
import { baseNetworkDistance, personFor, providerIdFor } from "./people";
import { SandboxWorldSettingsSchema } from "./world-settings";

const settings = SandboxWorldSettingsSchema.parse({});
const ids = Array.from({ length: 5_000 }, (_, i) => `person-${i}`);

describe("personFor", () => {
  it("spreads traits over 5,000 people roughly as the settings say", () => {
    const people = ids.map((id) => personFor("seed-1", id, settings));
    const share = (pick: (p: (typeof people)[number]) => boolean, among = people) =>
      among.filter(pick).length / among.length;
    const premium = people.filter((p) => p.isPremium);
    const notOpen = people.filter((p) => !p.isOpenProfile);
    // Tolerances are about 4 standard errors: a real drift fails, noise does not.
    expect(Math.abs(share((p) => p.isPremium) - 0.25)).toBeLessThan(0.025);
    expect(Math.abs(share((p) => p.isOpenProfile, premium) - 0.3)).toBeLessThan(0.05);
    expect(Math.abs(share((p) => p.refusesInmail, notOpen) - 0.08)).toBeLessThan(0.02);
    expect(Math.abs(share((p) => p.unreachable) - 0.01)).toBeLessThan(0.006);
    expect(people.some((p) => p.isOpenProfile && !p.isPremium)).toBe(false);
    expect(people.some((p) => p.isOpenProfile && p.refusesInmail)).toBe(false);
  });

  it("gives the same person for the same seed and identifier, another for another seed", () => {
    expect(personFor("seed-1", "ada", settings)).toEqual(personFor("seed-1", "ada", settings));
    const traits = (seed: string) =>
      ids.slice(0, 200).map((id) => JSON.stringify(personFor(seed, id, settings)));
    expect(traits("seed-1")).not.toEqual(traits("seed-2"));
  });

  it("keeps the member id stable across seeds and distinct between people", () => {
    expect(personFor("seed-1", "ada", settings).providerId).toBe(providerIdFor("ada"));
    expect(personFor("seed-2", "ada", settings).providerId).toBe(providerIdFor("ada"));
    expect(providerIdFor("ada")).toMatch(/^sbx_[0-9a-f]{24}$/);
    expect(new Set(ids.map(providerIdFor)).size).toBe(ids.length);
  });
});

describe("baseNetworkDistance", () => {
  it("spreads distances over 5,000 people roughly as the account's shares say", () => {
    const counts = new Map<unknown, number>();
    for (const id of ids) {
      const distance = baseNetworkDistance("seed-1", "acc-a", id, settings);
      counts.set(distance, (counts.get(distance) ?? 0) + 1);
    }
    const share = (d: 1 | 2 | 3 | null) => (counts.get(d) ?? 0) / ids.length;
    expect(Math.abs(share(1) - 0.05)).toBeLessThan(0.013);
    expect(Math.abs(share(2) - 0.55)).toBeLessThan(0.03);
    expect(Math.abs(share(3) - 0.3)).toBeLessThan(0.03);
    expect(Math.abs(share(null) - 0.1)).toBeLessThan(0.02);
  });

  it("draws a person's distance per account, with each account's own shares", () => {
    const differs = ids
      .slice(0, 500)
      .some(
        (id) =>
          baseNetworkDistance("s", "acc-a", id, settings) !==
          baseNetworkDistance("s", "acc-b", id, settings),
      );
    expect(differs).toBe(true);
    const wide = SandboxWorldSettingsSchema.parse({
      accounts: { "acc-big": { network: { firstDegree: 1, secondDegree: 0, thirdDegree: 0 } } },
    });
    expect(
      ids.slice(0, 100).every((id) => baseNetworkDistance("s", "acc-big", id, wide) === 1),
    ).toBe(true);
  });
});
