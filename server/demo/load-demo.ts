import "server-only";

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
  upsertLeads,
} from "@/db/queries/launch";
import { addLocalDays, localDate } from "@/workflows/engine/pacing/index";
import { starterTemplates } from "@/workflows/templates/index";
import type { Caller } from "../http/guard";
import {
  DEMO_ACCOUNT_NAME,
  DEMO_TEMPLATE_ID,
  DEMO_WORKING_HOURS,
  demoGraph,
  demoLeads,
} from "./demo-data";

const DEFAULT_TIME_ZONE = "UTC";

export const loadDemoInput = z.object({
  /** The browser's time zone, so the demo sender works the visitor's hours. */
  timeZone: z.string().trim().max(100).optional(),
});

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
