import "server-only";

import { sql } from "drizzle-orm";
import { IANAZone } from "luxon";
import { z } from "zod";
import { type Database, queryRows } from "@/db/client";
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
import type { Graph } from "@/workflows/graph/index";
import { copyStarterGraph, starterTemplates } from "@/workflows/templates/index";
import type { Caller } from "./http/guard";

// The one-click demo: a sandbox sender working real hours, 200 sandbox leads and a running
// campaign from the "Connect first, InMail those who don't accept" template with a follow-up
// InMail, so a new workspace has something the in-process engine moves through, two InMail
// branches whose budgets compare, and the working-hours story to watch.

/** Monday to Friday, 09:00 to 18:00 in the visitor's time zone, as a real seat works. */
export const DEMO_WORKING_HOURS = {
  days: [1, 2, 3, 4, 5],
  start: "09:00",
  end: "18:00",
};

export const DEMO_TEMPLATE_ID = "connect-then-inmail";
export const DEMO_LEAD_COUNT = 200;
export const DEMO_ACCOUNT_NAME = "Demo sender";
const DEFAULT_TIME_ZONE = "UTC";

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

/**
 * The template with a second InMail: leads who do not answer the first get a follow-up 10 days
 * later, so the budget panel shows two InMail branches side by side.
 */
export function demoGraph(): Graph {
  const graph = copyStarterGraph(DEMO_TEMPLATE_ID);
  if (!graph) throw new Error(`The ${DEMO_TEMPLATE_ID} template is missing.`);
  const first = graph.nodes.find((node) => node.kind === "inmail");
  const noReply = graph.edges.find(
    (edge) => edge.source === "replied-to-inmail" && edge.sourceHandle === "no",
  );
  const notSent = graph.edges.find(
    (edge) => edge.source === first?.id && edge.sourceHandle === "not_sent",
  );
  if (!first || !noReply || !notSent) return graph;
  const config = structuredClone(first.config) as { variants: Array<Record<string, unknown>> };
  config.variants = [
    {
      id: "a",
      weight: 1,
      subject: "Following up, {{firstName|there}}",
      body: "Hi {{firstName|there}}, one last note from me: if better meetings from LinkedIn matter to {{company|your team}} this quarter, I'd be glad to show how. If not, no worries.",
    },
  ];
  graph.nodes.push(
    { ...first, id: "follow-up", config, position: { x: 500, y: 1000 } } as Graph["nodes"][number],
    {
      id: "replied-to-follow-up",
      kind: "if_replied",
      config: { withinDays: 10 },
      position: { x: 500, y: 1200 },
    } as Graph["nodes"][number],
  );
  const endNoAnswer = noReply.target;
  noReply.target = "follow-up";
  graph.edges.push(
    {
      id: "follow-up-sent",
      source: "follow-up",
      sourceHandle: "sent",
      target: "replied-to-follow-up",
    },
    {
      id: "follow-up-not_sent",
      source: "follow-up",
      sourceHandle: "not_sent",
      target: notSent.target,
    },
    {
      id: "replied-to-follow-up-yes",
      source: "replied-to-follow-up",
      sourceHandle: "yes",
      target: "end-replied",
    },
    {
      id: "replied-to-follow-up-no",
      source: "replied-to-follow-up",
      sourceHandle: "no",
      target: endNoAnswer,
    },
  );
  for (const node of graph.nodes) {
    if (node.id === notSent.target) node.position = { x: 750, y: 800 };
    if (node.id === "end-replied" || node.id === endNoAnswer) {
      node.position = { ...node.position, y: 1400 };
    }
  }
  return graph;
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
  // An odd zone from a browser should not cost the visitor the demo: UTC hours instead.
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
      graph: demoGraph(),
      accountIds: [accountId],
      status: "running",
    });
    const leads = demoLeads();
    const leadIds = await upsertLeads(db, workspaceId, leads);
    const enrolled = await enrollLeads(db, workspaceId, campaignId, leadIds, { now });
    return { campaignId, created: true, leads: leads.length, enrolled: enrolled.enrolled };
  });
}

export const sandboxDeliveryInput = z.object({ campaignId: z.string().min(1).max(100) });

export interface SandboxDelivery {
  /** Actions the campaign's sandbox seats sent, as the engine recorded them. */
  sent: number;
  /** What the sandbox LinkedIn itself recorded receiving for those actions. */
  received: number;
  /** Sends the sandbox received more than once (the same step of the same lead). */
  duplicates: number;
}

/**
 * For a campaign sending from sandbox seats: what the engine says it sent against what the
 * sandbox's own record (sandbox_received) says arrived, and whether anything arrived twice.
 * Null when none of the campaign's seats is a sandbox seat.
 */
export async function sandboxDelivery(
  caller: Caller,
  input: z.infer<typeof sandboxDeliveryInput>,
): Promise<SandboxDelivery | null> {
  const ws = caller.workspace.workspaceId;
  const [seats] = await queryRows<{ n: number }>(
    caller.db,
    sql`select count(*)::int as n from campaign_account ca
          join sender_account s on s.id = ca.account_id and s.workspace_id = ${ws}
         where ca.workspace_id = ${ws} and ca.campaign_id = ${input.campaignId}
           and s.provider = 'sandbox'`,
  );
  if (!seats || seats.n === 0) return null;
  const [row] = await queryRows<{ sent: number; received: number; duplicates: number }>(
    caller.db,
    sql`with ours as (
          select a.idempotency_key, a.status from action a
            join sender_account s on s.id = a.account_id and s.workspace_id = ${ws}
           where a.workspace_id = ${ws} and a.campaign_id = ${input.campaignId}
             and s.provider = 'sandbox'
        ), got as (
          select r.idempotency_key from sandbox_received r
            join ours on ours.idempotency_key = r.idempotency_key
        ), steps as (
          -- Attempts of one step share the key up to the attempt number.
          select count(*) as n from got
           group by regexp_replace(idempotency_key, ':[^:]*$', '')
        )
        select (select count(*) from ours where status = 'sent')::int as sent,
               (select count(*) from got)::int as received,
               (select coalesce(sum(n - 1), 0) from steps)::int as duplicates`,
  );
  return {
    sent: row?.sent ?? 0,
    received: row?.received ?? 0,
    duplicates: row?.duplicates ?? 0,
  };
}
