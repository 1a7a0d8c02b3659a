import { sql } from "drizzle-orm";
import { IANAZone } from "luxon";
import { z } from "zod";
import type { Database } from "@/db/client";
import { findSenderAccountByProviderId } from "@/db/queries/accounts";
import { campaignIdsOfAccount } from "@/db/queries/campaigns";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  type LeadInput,
  upsertLeads,
} from "@/db/queries/launch";
import { addLocalDays, localDate } from "@/workflows/engine/pacing/index";
import { copyStarterGraph, starterTemplates } from "@/workflows/templates/index";
import type { Caller } from "./guard";

// The one-click demo: a sandbox sender, 200 sandbox leads and a running campaign from the
// "Connect first, InMail those who don't accept" template, so a new workspace has something
// the in-process engine moves through at once.

export const DEMO_WORKING_HOURS = {
  days: [1, 2, 3, 4, 5, 6, 7],
  start: "00:00",
  end: "24:00",
};

export const DEMO_TEMPLATE_ID = "connect-then-inmail";
export const DEMO_LEAD_COUNT = 200;
export const DEMO_ACCOUNT_NAME = "Demo sender";
const DEFAULT_TIME_ZONE = "Europe/Paris";

export const loadDemoInput = z.object({
  /** The browser's time zone, so the demo sender works the visitor's hours. */
  timeZone: z.string().trim().max(100).optional(),
});

const FIRST_NAMES = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Claude",
  "Hedy",
  "John",
  "Margaret",
  "Tim",
  "Radia",
  "Donald",
  "Frances",
  "Dennis",
  "Karen",
  "Ken",
  "Annie",
  "Niklaus",
  "Shafi",
  "Leslie",
  "Sophie",
  "Linus",
  "Joan",
  "Guido",
  "Adele",
  "Bjarne",
  "Evelyn",
  "Vint",
  "Jean",
];
const LAST_NAMES = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Shannon",
  "Lamarr",
  "Backus",
  "Hamilton",
  "Berners-Lee",
  "Perlman",
  "Knuth",
  "Allen",
  "Ritchie",
  "Spärck Jones",
  "Thompson",
  "Easley",
  "Wirth",
  "Goldwasser",
  "Lamport",
  "Wilson",
  "Torvalds",
  "Clarke",
  "van Rossum",
  "Goldberg",
  "Stroustrup",
  "Berezin",
  "Cerf",
  "Bartik",
];
const COMPANIES = [
  "Northwind Analytics",
  "Bluefin Logistics",
  "Copperleaf Health",
  "Fernway Software",
  "Harbor & Pine",
  "Kestrel Robotics",
  "Lumen Grid",
  "Meridian Freight",
  "Oakridge Capital",
  "Pellucid Labs",
  "Quarry Street Media",
  "Redwood Payroll",
  "Saltmarsh Energy",
  "Tidewater Insurance",
  "Umbra Security",
  "Vantage Retail",
  "Wavecrest Telecom",
  "Yarrow Foods",
  "Zephyr Mobility",
  "Atlas Biotech",
];
const TITLES = [
  "Head of Sales",
  "VP of Marketing",
  "Founder & CEO",
  "Chief Revenue Officer",
  "Sales Director",
  "Head of Growth",
  "Business Development Manager",
  "Marketing Manager",
  "Account Executive",
  "Head of Partnerships",
  "Operations Director",
  "CTO",
];

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * The demo's leads: the same 200 people every time. Last names shift by 7 each round of first
 * names, so no name repeats; the number keeps identifiers unique whatever the lists become.
 */
export function demoLeads(count = DEMO_LEAD_COUNT): LeadInput[] {
  return Array.from({ length: count }, (_, index) => {
    const round = Math.floor(index / FIRST_NAMES.length);
    const firstName = FIRST_NAMES[index % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(index + round * 7) % LAST_NAMES.length]!;
    const number = String(index + 1).padStart(4, "0");
    return {
      publicIdentifier: `demo-${slug(firstName)}-${slug(lastName)}-${number}`,
      firstName,
      lastName,
      company: COMPANIES[(index * 3 + round) % COMPANIES.length]!,
      title: TITLES[(index * 5 + round) % TITLES.length]!,
    };
  });
}

/** Identifies the workspace's demo sender; the unique provider index keeps it to one. */
function demoProviderAccountId(workspaceId: string): string {
  return `demo-${workspaceId}`;
}

export interface DemoResult {
  campaignId: string;
  /** False when the workspace already had the demo: nothing new was made. */
  created: boolean;
  leads: number;
  enrolled: number;
}

/**
 * Loads the demo into the caller's workspace, or finds the one loaded before: a second click
 * (or two at once) never makes a second demo.
 */
export async function loadDemo(
  caller: Caller,
  input: z.infer<typeof loadDemoInput>,
  now: Date = new Date(),
): Promise<DemoResult> {
  const workspaceId = caller.workspace.workspaceId;
  // An odd zone from a browser should not cost the visitor the demo: Paris hours instead.
  const timeZone =
    input.timeZone && IANAZone.isValidZone(input.timeZone) ? input.timeZone : DEFAULT_TIME_ZONE;
  const providerAccountId = demoProviderAccountId(workspaceId);
  return caller.db.transaction(async (tx) => {
    const db: Database = tx;
    // Two clicks at once queue here; the second then finds the first one's demo.
    await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`outflow-demo:${workspaceId}`}))`);
    const existing = await findSenderAccountByProviderId(
      db,
      workspaceId,
      "sandbox",
      providerAccountId,
    );
    if (existing) {
      const [campaignId] = await campaignIdsOfAccount(db, workspaceId, existing.id);
      if (campaignId) return { campaignId, created: false, leads: 0, enrolled: 0 };
    }

    const today = localDate(now, timeZone);
    const accountId =
      existing?.id ??
      (await createSenderAccount(db, workspaceId, {
        name: DEMO_ACCOUNT_NAME,
        provider: "sandbox",
        providerAccountId,
        pacing: {
          timeZone,
          // The demo account works every day around the clock so that progress shows within
          // a minute on the accelerated clock, whenever the demo is opened. Real accounts
          // default to Monday to Friday, 09:00 to 18:00.
          workingHours: DEMO_WORKING_HOURS,
          // Warm-up began long enough ago to be over: the demo sends at full caps.
          warmup: { startDate: addLocalDays(today, -60) },
        },
        creditPoolId: await createCreditPool(db, workspaceId, {
          name: "Demo Sales Navigator",
          plan: "sales_navigator_core",
          renewalDay: Math.min(now.getUTCDate(), 28),
          balance: 50,
          at: now,
        }),
      }));

    const template = starterTemplates.find((t) => t.id === DEMO_TEMPLATE_ID);
    const { campaignId } = await createCampaign(db, workspaceId, {
      name: `Demo: ${template?.name ?? "Connect first, InMail those who don't accept"}`,
      graph: copyStarterGraph(DEMO_TEMPLATE_ID),
      accountIds: [accountId],
      status: "running",
    });
    const leads = demoLeads();
    const leadIds = await upsertLeads(db, workspaceId, leads);
    const enrolled = await enrollLeads(db, workspaceId, campaignId, leadIds, { now });
    return { campaignId, created: true, leads: leads.length, enrolled: enrolled.enrolled };
  });
}
