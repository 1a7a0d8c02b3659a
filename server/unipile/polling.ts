import "server-only";

import type { Database } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { type PendingInvitation, pendingUnipileInvitations } from "@/db/queries/unipile";
import { relationEventId } from "@/workflows/providers/unipile/index";
import type { UnipileAdapters } from "./adapters";

/** Invitations older than this are left to their condition's window. */
const POLL_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** Relations made a little before an invitation's recorded time still count (clock skew). */
const SLACK_MS = 10 * 60 * 1000;

export interface PollResult {
  seats: number;
  accepted: number;
  failed: number;
}

/**
 * The acceptance fallback: new_relation webhooks can lag hours or go missing, so the seats'
 * newest relations are read and matched against invitations still waiting for an answer.
 * Acceptances found go through the same event path as webhooks, under the same event id, so
 * one found by both is stored once.
 */
export async function pollUnipileAcceptances(
  db: Database,
  adapters: UnipileAdapters,
  now: Date,
): Promise<PollResult> {
  const pending = await pendingUnipileInvitations(db, new Date(now.getTime() - POLL_WINDOW_MS));
  const bySeat = new Map<string, PendingInvitation[]>();
  for (const invitation of pending) {
    bySeat.set(invitation.accountId, [...(bySeat.get(invitation.accountId) ?? []), invitation]);
  }
  const result: PollResult = { seats: bySeat.size, accepted: 0, failed: 0 };
  for (const [accountId, invitations] of bySeat) {
    const first = invitations[0]!;
    const adapter = await adapters.forWorkspace(first.workspaceId);
    if ("missing" in adapter) {
      result.failed += 1;
      continue;
    }
    const oldest = Math.min(...invitations.map((i) => i.invitedAt.getTime()));
    let relations: Awaited<ReturnType<typeof adapter.relationsSince>>;
    try {
      relations = await adapter.relationsSince(
        { accountId, providerAccountId: first.providerAccountId },
        new Date(oldest - SLACK_MS),
      );
    } catch {
      result.failed += 1;
      continue;
    }
    for (const invitation of invitations) {
      const match = relations.find(
        (r) =>
          (invitation.providerId !== null && r.providerId === invitation.providerId) ||
          r.publicIdentifier === invitation.publicIdentifier,
      );
      if (!match) continue;
      const providerId = match.providerId ?? invitation.providerId;
      const stored = await ingestEvent(
        db,
        "unipile",
        {
          externalId: relationEventId(
            invitation.providerAccountId,
            providerId ?? invitation.publicIdentifier,
          ),
          type: "accepted",
          providerAccountId: invitation.providerAccountId,
          leadProviderId: providerId,
          leadPublicIdentifier: invitation.publicIdentifier,
          occurredAt: match.at ?? now,
        },
        now,
      );
      if (stored === "stored") result.accepted += 1;
    }
  }
  return result;
}
