import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import {
  CREDIT_PLANS,
  creditPoolForPlan,
  nextRenewal,
  type PlanId,
  poolNumberIssues,
  type RefundPolicy,
} from "@/workflows/credits/index";
import { type PacingSettingsInput, PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { enrolmentSlots, firstSendKind } from "@/workflows/engine/rotation";
import { type AnyGraph, freezeVersion } from "@/workflows/graph/index";
import { type Database, json, queryRows } from "../client";
import { campaignSeats, rotationSeats } from "../engine/handover";
import {
  campaign,
  campaignAccount,
  creditLedger,
  creditPool,
  lead,
  senderAccount,
  workflowVersion,
} from "../schema/index";

// Creating what a campaign runs on: accounts, pools, campaigns with a published version,
// leads and enrollments. Every function takes the workspace and writes only inside it.

export async function createCreditPool(
  db: Database,
  workspaceId: string,
  input: {
    name: string;
    plan: PlanId;
    renewalDay: number;
    balance: number;
    at: Date;
    refundPolicy?: RefundPolicy;
    /** A custom plan's own numbers. */
    allowance?: number;
    cap?: number;
  },
) {
  const settings = creditPoolForPlan(input.plan, {
    renewalAnchorDay: input.renewalDay,
    ...(input.refundPolicy ? { refundPolicy: input.refundPolicy } : {}),
    ...(input.allowance !== undefined ? { allowancePerMonth: input.allowance } : {}),
    ...(input.cap !== undefined ? { cap: input.cap } : {}),
  });
  // The last guard: callers check with the same rules and say so field by field.
  const impossible = poolNumberIssues(
    CREDIT_PLANS[input.plan],
    { allowance: settings.allowancePerMonth, cap: settings.cap, balance: input.balance },
    { allowance: settings.allowancePerMonth, cap: settings.cap },
  );
  if (impossible.length > 0) throw new RangeError(impossible.map((i) => i.message).join(" "));
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(creditPool).values({
      id,
      workspaceId,
      name: input.name,
      plan: input.plan,
      allowance: settings.allowancePerMonth,
      cap: settings.cap,
      renewalDay: settings.renewalAnchorDay,
      refundPolicy: settings.refundPolicy,
      balance: input.balance,
      nextRenewalAt: nextRenewal(settings, input.at),
    });
    if (input.balance > 0) {
      await tx.insert(creditLedger).values({
        workspaceId,
        poolId: id,
        at: input.at,
        type: "adjustment",
        amount: input.balance,
        note: "opening balance",
      });
    }
  });
  return id;
}

export async function createSenderAccount(
  db: Database,
  workspaceId: string,
  input: {
    name: string;
    provider: "sandbox" | "unipile";
    providerAccountId: string;
    pacing: PacingSettingsInput;
    creditPoolId?: string | null;
    sandbox?: unknown;
    /** The seat's LinkedIn plan (how its InMails are sent); Premium when not given. */
    linkedinPlan?: string;
  },
) {
  const pacing = PacingSettingsSchema.parse(input.pacing);
  const id = randomUUID();
  await db.insert(senderAccount).values({
    id,
    workspaceId,
    name: input.name,
    provider: input.provider,
    providerAccountId: input.providerAccountId,
    pacing,
    sandbox: input.sandbox ?? null,
    creditPoolId: input.creditPoolId ?? null,
    linkedinPlan: input.linkedinPlan ?? "premium",
  });
  return id;
}

export class GraphNotPublishableError extends Error {
  constructor(readonly errors: string[]) {
    super(`The workflow cannot be published: ${errors.join("; ")}`);
  }
}

/** Creates a campaign and publishes its graph as version 1. */
export async function createCampaign(
  db: Database,
  workspaceId: string,
  input: {
    name: string;
    graph: unknown;
    accountIds: string[];
    seed?: string;
    stopOnReply?: boolean;
    status?: "draft" | "running" | "paused";
  },
) {
  const frozen = await freezeVersion(input.graph);
  if (!frozen.ok) {
    throw new GraphNotPublishableError(frozen.validation.errors.map((d) => d.message));
  }
  const accounts = await db
    .select({ id: senderAccount.id })
    .from(senderAccount)
    .where(
      and(eq(senderAccount.workspaceId, workspaceId), inArray(senderAccount.id, input.accountIds)),
    );
  if (accounts.length !== input.accountIds.length || accounts.length === 0) {
    throw new Error("Every sender account must exist in this workspace.");
  }
  const campaignId = randomUUID();
  const versionId = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(campaign).values({
      id: campaignId,
      workspaceId,
      name: input.name,
      status: input.status ?? "running",
      stopOnReply: input.stopOnReply ?? true,
      draftGraph: frozen.version.graph,
      draftHash: frozen.version.contentHash,
      liveVersionId: versionId,
      seed: input.seed ?? randomUUID(),
    });
    await tx.insert(workflowVersion).values({
      id: versionId,
      workspaceId,
      campaignId,
      version: 1,
      graph: frozen.version.graph,
      hash: frozen.version.contentHash,
    });
    await tx
      .insert(campaignAccount)
      .values(input.accountIds.map((accountId) => ({ campaignId, accountId, workspaceId })));
  });
  return { campaignId, versionId };
}

/**
 * Creates a campaign as a draft to open in the editor: the graph is saved as it is (it may be
 * unfinished) and nothing is published; publishing from the editor makes version 1.
 */
export async function createDraftCampaign(
  db: Database,
  workspaceId: string,
  input: { name: string; graph: unknown; draftHash: string; accountIds: string[]; seed?: string },
) {
  const campaignId = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(campaign).values({
      id: campaignId,
      workspaceId,
      name: input.name,
      status: "draft",
      draftGraph: input.graph,
      draftHash: input.draftHash,
      liveVersionId: null,
      seed: input.seed ?? randomUUID(),
    });
    if (input.accountIds.length > 0) {
      await tx
        .insert(campaignAccount)
        .values(input.accountIds.map((accountId) => ({ campaignId, accountId, workspaceId })));
    }
  });
  return { campaignId };
}

export interface LeadInput {
  publicIdentifier: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  title?: string;
  custom?: Record<string, string>;
}

/** Inserts leads once per workspace (by public identifier) and returns their ids in order. */
export async function upsertLeads(db: Database, workspaceId: string, leads: LeadInput[]) {
  const ids: string[] = [];
  for (let start = 0; start < leads.length; start += 500) {
    const chunk = leads.slice(start, start + 500);
    await db
      .insert(lead)
      .values(
        chunk.map((l) => ({
          id: randomUUID(),
          workspaceId,
          publicIdentifier: l.publicIdentifier,
          firstName: l.firstName ?? "",
          lastName: l.lastName ?? "",
          company: l.company ?? "",
          title: l.title ?? "",
          custom: l.custom ?? {},
        })),
      )
      .onConflictDoNothing();
    const rows = await db
      .select({ id: lead.id, publicIdentifier: lead.publicIdentifier })
      .from(lead)
      .where(
        and(
          eq(lead.workspaceId, workspaceId),
          inArray(
            lead.publicIdentifier,
            chunk.map((l) => l.publicIdentifier),
          ),
        ),
      );
    const byIdentifier = new Map(rows.map((r) => [r.publicIdentifier, r.id]));
    for (const l of chunk) ids.push(byIdentifier.get(l.publicIdentifier)!);
  }
  return ids;
}

export interface EnrollResult {
  enrolled: number;
  skippedBlocked: number;
  skippedInOtherCampaign: number;
  skippedAlreadyEnrolled: number;
}

/**
 * Puts leads into a running campaign at its live version's start step, due now, in one
 * set-based statement whatever their number. Blocklisted leads never enter; leads active in
 * another campaign of the workspace enter only when the caller says so, so that nobody is
 * contacted by two campaigns at once; a lead already in the campaign does not enter twice.
 * Each goes, in the order given, to the campaign's healthy seat with the most room over the
 * coming week (workflows/engine/rotation.ts: caps and warm-up, less the campaign's leads already
 * waiting on it; ties to the first by name), planned once for the batch, so the same leads land
 * on the same seats every time; with no healthy seat, the room alone decides. Every
 * path that enrols (Add leads, an import into a campaign, bulk actions, the API, the demo and
 * the simulation) comes here.
 */
export async function enrollLeads(
  db: Database,
  workspaceId: string,
  campaignId: string,
  leadIds: string[],
  options: { now: Date; allowInOtherCampaigns?: boolean },
): Promise<EnrollResult> {
  const [target] = await db
    .select({ versionId: campaign.liveVersionId, graph: workflowVersion.graph })
    .from(campaign)
    .innerJoin(workflowVersion, eq(workflowVersion.id, campaign.liveVersionId))
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)));
  if (!target?.versionId) throw new Error("The campaign has no published version.");
  const start = (target.graph as { nodes: Array<{ id: string; kind: string }> }).nodes.find(
    (node) => node.kind === "start",
  );
  if (!start) throw new Error("The campaign cannot run.");
  const now = options.now.toISOString();
  const allow = options.allowInOtherCampaigns === true;
  // The seat of the n-th lead that enters, as an index into the seats listed by name.
  const seatRows = await campaignSeats(db, workspaceId, campaignId);
  const seats = rotationSeats(seatRows);
  const plan = { kind: firstSendKind(target.graph as AnyGraph), now: options.now };
  const slots = enrolmentSlots(leadIds.length, seats, plan);
  const seatIndex = new Map(seatRows.map((row, index) => [row.id, index]));
  const slotSeats = slots.map((accountId) => seatIndex.get(accountId) as number);
  const [counts] = await queryRows<{
    accounts: number;
    enrolled: number;
    blocked: number;
    elsewhere: number;
    eligible: number;
  }>(
    db,
    sql`with given as (
          select x.id as lead_id, x.position
            from jsonb_array_elements_text(${json(leadIds)}) with ordinality as x(id, position)),
        accounts as (
          select x.id as account_id, x.k - 1 as seat
            from jsonb_array_elements_text(${json(seatRows.map((row) => row.id))})
                 with ordinality as x(id, k)),
        slots as (
          select x.seat::int as seat, x.n - 1 as n
            from jsonb_array_elements_text(${json(slotSeats)}) with ordinality as x(seat, n)),
        -- The given leads' enrollments, found through the lead index. Materialized and without
        -- a state condition, so that the planner (without statistics on PGlite, which never
        -- analyzes) cannot pair it with the partial index of active rows and rescan every
        -- active enrollment once per lead.
        enrolled as materialized (
          select e.lead_id, e.campaign_id, e.state
            from given g
            join enrollment e on e.lead_id = g.lead_id and e.workspace_id = ${workspaceId}),
        candidates as (
          select l.id, l.public_identifier, g.position,
                 exists (select 1 from blocklist_entry b
                          where b.workspace_id = ${workspaceId}
                            and b.public_identifier = l.public_identifier) as blocked,
                 -- A lead already in this campaign is counted as such, wherever else it runs.
                 l.id in (select lead_id from enrolled
                           where campaign_id <> ${campaignId} and state = 'active')
                   and l.id not in (select lead_id from enrolled
                                     where campaign_id = ${campaignId}) as elsewhere
            from given g
            join lead l on l.id = g.lead_id and l.workspace_id = ${workspaceId}),
        eligible as (
          select c.id, c.public_identifier,
                 row_number() over (order by c.position) - 1 as n
            from candidates c
           where not c.blocked and (${allow}::boolean or not c.elsewhere)),
        inserted as (
          insert into enrollment (id, workspace_id, campaign_id, lead_id, version_id, account_id,
                                  node_id, next_run_at, queue_key, created_at, updated_at)
          select gen_random_uuid()::text, ${workspaceId}, ${campaignId}, e.id, ${target.versionId},
                 a.account_id, ${start.id}, ${now}::timestamptz, e.public_identifier,
                 ${now}::timestamptz, ${now}::timestamptz
            from eligible e
            join slots s on s.n = e.n
            join accounts a on a.seat = s.seat
          on conflict (campaign_id, lead_id) do nothing
          returning 1)
        select (select count(*) from accounts)::int as accounts,
               (select count(*) from inserted)::int as enrolled,
               (select count(*) from candidates where blocked)::int as blocked,
               (select count(*) from candidates
                 where not blocked and elsewhere and not ${allow}::boolean)::int as elsewhere,
               (select count(*) from eligible)::int as eligible`,
  );
  if (!counts || counts.accounts === 0) throw new Error("The campaign cannot run.");
  return {
    enrolled: counts.enrolled,
    skippedBlocked: counts.blocked,
    skippedInOtherCampaign: counts.elsewhere,
    skippedAlreadyEnrolled: counts.eligible - counts.enrolled,
  };
}

export async function setCampaignStatus(
  db: Database,
  workspaceId: string,
  campaignId: string,
  status: "running" | "paused",
) {
  await db
    .update(campaign)
    .set({ status })
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)));
}
