import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateGraph } from "../graph/index";
import { starterTemplates } from "../templates/index";
import {
  CampaignFileSchema,
  DEFAULT_START,
  describeIssues,
  generateLeads,
  resolveCampaignFile,
  SIMULATION_SANDBOX_INMAIL_BALANCE,
} from "./campaign-file";

const examples = path.resolve(import.meta.dirname, "../../examples/simulations");
const exampleFiles = readdirSync(examples).filter((name) => name.endsWith(".json"));

const minimal = {
  graph: { template: "connect-then-follow-up" },
  accounts: [{ id: "acct-paris", timeZone: "Europe/Paris" }],
};

/** The problems with `input`, in the words the command prints. */
function problems(input: unknown): string[] {
  const parsed = CampaignFileSchema.safeParse(input);
  return parsed.success ? [] : describeIssues(parsed.error);
}

describe("campaign file examples", () => {
  it("ships one example per starter template", () => {
    expect(exampleFiles.map((name) => name.replace(/\.json$/, "")).sort()).toEqual(
      starterTemplates.map((template) => template.id).sort(),
    );
  });

  it.each(exampleFiles)("accepts %s, with a graph that can run", (name) => {
    const input = JSON.parse(readFileSync(path.join(examples, name), "utf8"));
    expect(problems(input)).toEqual([]);
    const campaign = resolveCampaignFile(CampaignFileSchema.parse(input));
    expect(validateGraph(campaign.graph).ok).toBe(true);
    expect(campaign.accounts).toHaveLength(2);
    expect(new Set(campaign.accounts.map((a) => a.pacing.timeZone)).size).toBe(2);
    expect(campaign.leads).toHaveLength(100);
    expect(campaign.days).toBe(30);
    const usesInmail = starterTemplates
      .find((template) => template.id === campaign.template)!
      .graph.nodes.some((node) => node.kind === "inmail");
    expect(campaign.pool !== null).toBe(usesInmail);
  });
});

describe("campaign file schema", () => {
  it("fills in fixed defaults, never today's date", () => {
    const campaign = resolveCampaignFile(CampaignFileSchema.parse(minimal));
    expect(campaign.start.toISOString()).toBe(new Date(DEFAULT_START).toISOString());
    expect(campaign).toMatchObject({ days: 30, seed: "outflow", pool: null, stopOnReply: true });
    expect(campaign.leads).toHaveLength(100);
    expect(campaign.accounts[0]!.pacing).toMatchObject({
      timeZone: "Europe/Paris",
      warmup: { startDate: null },
    });
  });

  it("rejects bad files with a message that names the field and the problem", () => {
    expect(problems({ ...minimal, graph: { template: "cold-call" } })).toEqual([
      expect.stringMatching(
        /^graph\.template: Unknown starter template "cold-call"; expected one of “connect-then-follow-up”/,
      ),
    ]);
    expect(problems({ ...minimal, accounts: [{ id: "a", timeZone: "Mars/Olympus" }] })).toEqual([
      "accounts[0].timeZone: Unknown IANA time zone (e.g. Europe/Paris)",
    ]);
    expect(problems({ ...minimal, accounts: [] })).toEqual([
      "accounts: A campaign needs at least one account",
    ]);
    expect(problems({ graph: minimal.graph })).toEqual([
      expect.stringMatching(/^accounts: .*expected array/i),
    ]);
    expect(problems({ ...minimal, dayz: 3 })).toEqual([expect.stringContaining('"dayz"')]);
    expect(
      problems({
        ...minimal,
        accounts: [{ id: "a", timeZone: "UTC", workingHours: { start: "18:00", end: "09:00" } }],
      }),
    ).toEqual(["accounts[0].workingHours.end: Working hours must start before they end"]);
    expect(
      problems({
        ...minimal,
        accounts: [{ id: "a", timeZone: "UTC", workingHours: { start: "09:00", end: "09:20" } }],
      }),
    ).toEqual([
      "accounts[0].workingHours: The working day must be longer than the 30 minutes a day may start late",
    ]);
    expect(
      problems({ ...minimal, accounts: [{ id: "a", timeZone: "UTC", caps: { perday: {} } }] }),
    ).toEqual([expect.stringMatching(/^accounts\[0\]\.caps: .*"perday"/)]);
    expect(problems({ ...minimal, accounts: [...minimal.accounts, ...minimal.accounts] })).toEqual([
      "accounts[1].id: Account “acct-paris” is listed twice",
    ]);
    expect(problems({ ...minimal, pool: { plan: "premium_business", balance: 100 } })).toEqual([
      "pool.balance: Premium Business holds at most 45 credits; the opening balance cannot be 100",
    ]);
    expect(problems({ ...minimal, pool: { plan: "gold", balance: 1 } })).toEqual([
      expect.stringMatching(/^pool\.plan: /),
    ]);
    expect(problems({ ...minimal, start: "next monday" })).toEqual([
      "start: Expected an ISO 8601 instant, e.g. 2026-03-02T07:00:00Z",
    ]);
    expect(problems({ ...minimal, sandbox: { accounts: { "acct-ny": {} } } })).toEqual([
      "sandbox.accounts.acct-ny: No account “acct-ny” in “accounts”",
    ]);
    expect(
      problems({ ...minimal, sandbox: { defaults: { acceptance: { probability: 2 } } } }),
    ).toEqual([expect.stringMatching(/^sandbox\.defaults\.acceptance\.probability: /)]);
    expect(problems({ ...minimal, leads: [] })).toEqual([
      expect.stringContaining("List at least one lead"),
    ]);
  });

  it("refuses a pool that could not exist: above its cap, or a custom plan holding nothing", () => {
    const pool = (p: object) => problems({ ...minimal, pool: p });
    expect(pool({ plan: "custom", allowance: 0, cap: 0, balance: 20 })).toEqual([
      "pool.cap: A pool must be able to hold at least 1 credit",
    ]);
    expect(pool({ plan: "custom", allowance: 10, cap: 30, balance: 31 })).toEqual([
      "pool.balance: This pool holds at most 30 credits; the opening balance cannot be 31",
    ]);
    expect(pool({ plan: "custom", balance: 0 })).toEqual([
      "pool.allowance: A custom plan needs its monthly allowance",
      "pool.cap: A custom plan needs its cap (the most it can hold)",
    ]);
    expect(pool({ plan: "recruiter_professional", allowance: 500, balance: 0 })).toEqual([
      "pool.cap: The most a pool can hold must be at least its monthly allowance",
    ]);
    expect(pool({ plan: "recruiter_professional", balance: 451 })).toEqual([
      "pool.balance: This pool holds at most 450 credits; the opening balance cannot be 451",
    ]);
    expect(pool({ plan: "premium_career", cap: 20, balance: 1 })).toEqual([
      "pool.cap: Premium Career holds at most 15 credits; only team and custom plans set their own",
    ]);
    expect(pool({ plan: "custom", allowance: 10, cap: 30, balance: 30 })).toEqual([]);
    expect(
      resolveCampaignFile(
        CampaignFileSchema.parse({
          ...minimal,
          pool: { plan: "custom", allowance: 10, cap: 30, balance: 30 },
        }),
      ).pool,
    ).toMatchObject({ plan: "custom", allowance: 10, cap: 30, balance: 30 });
  });

  it("lets the command line override the lead count, the days and the seed", () => {
    const file = CampaignFileSchema.parse({
      ...minimal,
      leads: [{ publicIdentifier: "ada" }, { publicIdentifier: "lead-0001" }],
    });
    const campaign = resolveCampaignFile(file, { leads: 4, days: 3, seed: "other" });
    expect(campaign.leads.map((lead) => lead.publicIdentifier)).toEqual([
      "ada",
      "lead-0001",
      "lead-0002",
      "lead-0003",
    ]);
    expect(campaign).toMatchObject({ days: 3, seed: "other" });
    expect(resolveCampaignFile(file, { leads: 1 }).leads).toEqual([{ publicIdentifier: "ada" }]);
  });

  it("generates the same leads from the same seed, and other names from another seed", () => {
    const leads = generateLeads(30, "outflow");
    expect(leads[0]).toMatchObject({ publicIdentifier: "lead-0001" });
    expect(leads[29]).toMatchObject({ publicIdentifier: "lead-0030" });
    for (const lead of leads) {
      expect(lead.firstName).toMatch(/^\p{L}/u);
      expect(lead.lastName).toMatch(/^\p{L}/u);
      expect(lead.company).not.toBe("");
      expect(lead.title).not.toBe("");
    }
    expect(generateLeads(30, "outflow")).toEqual(leads);
    expect(generateLeads(30, "another seed")).not.toEqual(leads);
  });

  it("gives the sandbox seats a large InMail balance unless the file sets one", () => {
    const plain = resolveCampaignFile(CampaignFileSchema.parse(minimal));
    expect(plain.sandbox.defaults?.inmailBalance).toBe(SIMULATION_SANDBOX_INMAIL_BALANCE);
    const set = resolveCampaignFile(
      CampaignFileSchema.parse({
        ...minimal,
        sandbox: { defaults: { inmailBalance: 3, reply: { afterInmail: 0.5 } } },
      }),
    );
    expect(set.sandbox.defaults).toMatchObject({ inmailBalance: 3, reply: { afterInmail: 0.5 } });
  });

  it("takes a graph written out in full as well as a template reference", () => {
    const graph = structuredClone(starterTemplates[2]!.graph);
    const campaign = resolveCampaignFile(CampaignFileSchema.parse({ ...minimal, graph }));
    expect(campaign.template).toBeNull();
    expect(campaign.graph).toEqual(graph);
  });

  describe("several campaigns", () => {
    const { graph, ...shared } = minimal;
    const several = {
      ...shared,
      campaigns: [
        { id: "first", graph, leads: { count: 3 } },
        { id: "second", graph, leads: { count: 2 }, start: "2026-03-04T08:00:00Z", weight: 3 },
      ],
    };

    it("resolves each campaign with its own leads, start, weight and seats", () => {
      const run = resolveCampaignFile(CampaignFileSchema.parse(several));
      expect(
        run.campaigns?.map((c) => ({
          id: c.id,
          leads: c.leads.map((lead) => lead.publicIdentifier),
          start: c.start.toISOString(),
          weight: c.weight,
          seats: c.seats,
        })),
      ).toEqual([
        {
          id: "first",
          leads: ["lead-0001", "lead-0002", "lead-0003"],
          start: new Date(DEFAULT_START).toISOString(),
          weight: 1,
          seats: null,
        },
        // Generated leads of the second campaign are other people.
        {
          id: "second",
          leads: ["lead-0004", "lead-0005"],
          start: "2026-03-04T08:00:00.000Z",
          weight: 3,
          seats: null,
        },
      ]);
      expect(run.leads).toHaveLength(5);
      expect(run.campaigns?.[0]?.template).toBe("connect-then-follow-up");
    });

    it("names what is wrong: a graph and campaigns, neither, an unknown seat or campaign", () => {
      expect(problems({ ...several, graph })).toEqual([
        "campaigns: Give either a graph or “campaigns”, not both",
      ]);
      expect(problems(shared)).toEqual([
        "graph: Give a graph, or several campaigns in “campaigns”",
      ]);
      expect(problems({ ...several, leads: { count: 3 } })).toEqual([
        "leads: With “campaigns”, each campaign lists its own leads",
      ]);
      expect(problems({ ...several, campaigns: [{ id: "first", graph, weight: 11 }] })).toEqual([
        expect.stringMatching(/^campaigns\[0\]\.weight: /),
      ]);
      expect(
        problems({
          ...several,
          campaigns: [
            { id: "first", graph, seats: ["acct-nowhere"] },
            { id: "first", graph, start: "2026-03-01T00:00:00Z" },
          ],
          script: [
            { at: "2026-03-03T10:00:00Z", account: "acct-nowhere", status: "restricted" },
            { at: "2026-03-03T10:00:00Z", campaign: "third", status: "paused" },
          ],
        }),
      ).toEqual([
        "campaigns[0].seats[0]: No account “acct-nowhere” in “accounts”",
        "campaigns[1].id: Campaign “first” is listed twice",
        "campaigns[1].start: A campaign cannot start before the run",
        "script[0].account: No account “acct-nowhere” in “accounts”",
        "script[1].campaign: No campaign “third” in “campaigns”",
      ]);
    });
  });
});
