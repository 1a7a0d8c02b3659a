import { randomUUID } from "node:crypto";
import { and, eq, inArray, ne } from "drizzle-orm";
import {
  CREDIT_PLANS,
  creditPoolForPlan,
  nextRenewal,
  type PlanId,
  poolNumberIssues,
  type RefundPolicy,
} from "@/workflows/credits/index";
import { type PacingSettingsInput, PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { freezeVersion } from "@/workflows/graph/index";
import type { Database } from "../client";
import {
  blocklistEntry,
  campaign,
  campaignAccount,
  creditLedger,
  creditPool,
  enrollment,
  lead,
  senderAccount,
  workflowVersion,
} from "../schema";

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
 * Puts leads into a running campaign at its live version, spreading them over its accounts.
 * Blocklisted leads never enter; leads active in another campaign of the workspace enter only
 * when the caller says so, so that nobody is contacted by two campaigns at once.
 */
export async function enrollLeads(
  db: Database,
  workspaceId: string,
  campaignId: string,
  leadIds: string[],
  options: { now: Date; allowInOtherCampaigns?: boolean },
): Promise<EnrollResult> {
  const [target] = await db
    .select()
    .from(campaign)
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)));
  if (!target?.liveVersionId) throw new Error("The campaign has no published version.");
  // A stable order (by name), so the same leads land on the same accounts every time.
  const accounts = await db
    .select({ accountId: campaignAccount.accountId })
    .from(campaignAccount)
    .innerJoin(senderAccount, eq(senderAccount.id, campaignAccount.accountId))
    .where(eq(campaignAccount.campaignId, campaignId))
    .orderBy(senderAccount.name, senderAccount.id);
  const graph = (
    await db
      .select({ graph: workflowVersion.graph })
      .from(workflowVersion)
      .where(eq(workflowVersion.id, target.liveVersionId))
  )[0]?.graph as { nodes: Array<{ id: string; kind: string }> };
  const start = graph.nodes.find((n) => n.kind === "start");
  if (!start || accounts.length === 0) throw new Error("The campaign cannot run.");

  const result: EnrollResult = {
    enrolled: 0,
    skippedBlocked: 0,
    skippedInOtherCampaign: 0,
    skippedAlreadyEnrolled: 0,
  };
  for (let offset = 0; offset < leadIds.length; offset += 500) {
    const chunk = leadIds.slice(offset, offset + 500);
    const leads = await db
      .select({ id: lead.id, publicIdentifier: lead.publicIdentifier })
      .from(lead)
      .where(and(eq(lead.workspaceId, workspaceId), inArray(lead.id, chunk)));
    const blocked = new Set(
      (
        await db
          .select({ publicIdentifier: blocklistEntry.publicIdentifier })
          .from(blocklistEntry)
          .where(
            and(
              eq(blocklistEntry.workspaceId, workspaceId),
              inArray(
                blocklistEntry.publicIdentifier,
                leads.map((l) => l.publicIdentifier),
              ),
            ),
          )
      ).map((b) => b.publicIdentifier),
    );
    const elsewhere = options.allowInOtherCampaigns
      ? new Set<string>()
      : new Set(
          (
            await db
              .select({ leadId: enrollment.leadId })
              .from(enrollment)
              .where(
                and(
                  eq(enrollment.workspaceId, workspaceId),
                  ne(enrollment.campaignId, campaignId),
                  eq(enrollment.state, "active"),
                  inArray(enrollment.leadId, chunk),
                ),
              )
          ).map((e) => e.leadId),
        );
    const rows: Array<typeof enrollment.$inferInsert> = [];
    for (const l of leads) {
      if (blocked.has(l.publicIdentifier)) {
        result.skippedBlocked++;
        continue;
      }
      if (elsewhere.has(l.id)) {
        result.skippedInOtherCampaign++;
        continue;
      }
      const account: { accountId: string } = accounts[(offset + rows.length) % accounts.length]!;
      rows.push({
        id: randomUUID(),
        workspaceId,
        campaignId,
        leadId: l.id,
        versionId: target.liveVersionId,
        accountId: account.accountId,
        nodeId: start.id,
        nextRunAt: options.now,
        queueKey: l.publicIdentifier,
        enrolledAt: options.now,
        updatedAt: options.now,
      });
    }
    if (rows.length > 0) {
      const inserted = await db
        .insert(enrollment)
        .values(rows)
        .onConflictDoNothing()
        .returning({ id: enrollment.id });
      result.enrolled += inserted.length;
      result.skippedAlreadyEnrolled += rows.length - inserted.length;
    }
  }
  return result;
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
