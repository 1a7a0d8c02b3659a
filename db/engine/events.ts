import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { InboundEvent } from "@/workflows/providers/types";
import type { Database } from "../client";
import { enrollment, inboundEvent, lead, senderAccount } from "../schema";

export type IngestResult = "stored" | "duplicate" | "unknown_account";

const ACCOUNT_STATUS: Record<string, string> = {
  OK: "active",
  RECONNECTED: "active",
  CREATION_SUCCESS: "active",
  SYNC_SUCCESS: "active",
  CREDENTIALS: "needs_reconnect",
  ERROR: "needs_reconnect",
  STOPPED: "needs_reconnect",
  DELETED: "needs_reconnect",
};

/**
 * Stores an event from LinkedIn (webhook or sandbox) once, then processes it: resolves the
 * account and the lead, and wakes the lead's enrollments so conditions are decided at once.
 * Conditions read stored events, so an event that arrives early, twice or late is harmless.
 */
export async function ingestEvent(
  db: Database,
  provider: string,
  event: InboundEvent,
  receivedAt: Date,
): Promise<IngestResult> {
  const [account] = await db
    .select({
      id: senderAccount.id,
      workspaceId: senderAccount.workspaceId,
      status: senderAccount.status,
    })
    .from(senderAccount)
    .where(
      and(
        eq(senderAccount.provider, provider),
        eq(senderAccount.providerAccountId, event.providerAccountId),
      ),
    )
    .limit(1);
  if (!account) return "unknown_account";

  let leadId: string | null = null;
  if (event.leadProviderId || event.leadPublicIdentifier) {
    const identity = [
      event.leadProviderId ? eq(lead.providerId, event.leadProviderId) : undefined,
      event.leadPublicIdentifier
        ? eq(lead.publicIdentifier, event.leadPublicIdentifier)
        : undefined,
    ].filter((c) => c !== undefined);
    const [found] = await db
      .select({ id: lead.id })
      .from(lead)
      .where(and(eq(lead.workspaceId, account.workspaceId), or(...identity)))
      .limit(1);
    leadId = found?.id ?? null;
  }

  const inserted = await db
    .insert(inboundEvent)
    .values({
      workspaceId: account.workspaceId,
      provider,
      externalId: event.externalId,
      type: event.type,
      providerAccountId: event.providerAccountId,
      accountId: account.id,
      leadId,
      chatId: event.chatId ?? null,
      occurredAt: event.occurredAt,
      receivedAt,
      payload: event.accountStatus ? { accountStatus: event.accountStatus } : null,
    })
    .onConflictDoNothing()
    .returning({ id: inboundEvent.id });
  const stored = inserted[0];
  if (!stored) return "duplicate";

  if (event.type === "account_status" && event.accountStatus) {
    const status = ACCOUNT_STATUS[event.accountStatus];
    if (status) {
      await db
        .update(senderAccount)
        .set({ status, statusReason: `LinkedIn status ${event.accountStatus}` })
        .where(eq(senderAccount.id, account.id));
    }
  } else if (leadId) {
    await db
      .update(enrollment)
      .set({ nextRunAt: receivedAt })
      .where(
        and(
          eq(enrollment.leadId, leadId),
          eq(enrollment.accountId, account.id),
          eq(enrollment.state, "active"),
          gt(enrollment.nextRunAt, receivedAt),
          or(isNull(enrollment.leaseExpiresAt), lt(enrollment.leaseExpiresAt, receivedAt)),
        ),
      );
  }
  await db
    .update(inboundEvent)
    .set({ processedAt: sql`${receivedAt.toISOString()}` })
    .where(eq(inboundEvent.id, stored.id));
  return "stored";
}
