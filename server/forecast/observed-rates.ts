import "server-only";

import { sql } from "drizzle-orm";
import { type Database, inList, queryRows } from "@/db/client";
import type { ForecastRates } from "@/views/forecast";
import {
  SandboxAcceptanceSchema,
  SandboxReplySchema,
} from "@/workflows/providers/sandbox/world-settings";

/** The workspace's own acceptance rate is used from this many settled invitations on. */
export const MIN_SETTLED_INVITATIONS = 50;

/** Its own reply rate from this many settled messages and InMails on. */
const MIN_SETTLED_MESSAGES = 20;

/** An invitation not accepted after this long counts as settled (not accepted). */
const INVITATION_SETTLES_DAYS = 14;

/** A message not answered after this long counts as settled (no reply). */
const MESSAGE_SETTLES_DAYS = 7;

const DAY_MS = 86_400_000;

const DEFAULT_ACCEPTANCE = SandboxAcceptanceSchema.parse({}).probability;

export const DEFAULT_REPLY = SandboxReplySchema.parse({}).afterMessage;

/**
 * The workspace's acceptance rate over its settled invitations (accepted, or sent at least 14
 * days ago), and its reply rate over settled messages and InMails; the sandbox's defaults until
 * there are 50 settled invitations (and 20 settled messages for the reply rate).
 */
export async function observedRates(
  db: Database,
  workspaceId: string,
  now: Date,
): Promise<ForecastRates> {
  const invitationCutoff = new Date(now.getTime() - INVITATION_SETTLES_DAYS * DAY_MS);
  const messageCutoff = new Date(now.getTime() - MESSAGE_SETTLES_DAYS * DAY_MS);
  const settled = (kinds: string[], event: string, cutoff: Date) =>
    queryRows<{ settled: string | number; answered: string | number }>(
      db,
      sql`
      select count(*) as settled, count(*) filter (where answered) as answered from (
        select a.sent_at, exists (
          select 1 from inbound_event e
          where e.workspace_id = a.workspace_id and e.account_id = a.account_id
            and e.lead_id = a.lead_id and e.type = ${event} and e.occurred_at > a.sent_at
            and e.occurred_at <= ${now.toISOString()}
        ) as answered
        from action a
        where a.workspace_id = ${workspaceId} and a.status = 'sent' and a.sent_at is not null
          and a.sent_at <= ${now.toISOString()}
          and a.kind in ${inList(kinds)}
      ) sent where answered or sent_at <= ${cutoff.toISOString()}`,
    );
  const [invitations, messages] = await Promise.all([
    settled(["connect"], "accepted", invitationCutoff),
    settled(["message", "inmail"], "replied", messageCutoff),
  ]);
  const first = (rows: Array<{ settled: string | number; answered: string | number }>) => {
    const row = rows[0];
    return { settled: Number(row?.settled ?? 0), answered: Number(row?.answered ?? 0) };
  };
  const invited = first(invitations);
  const texted = first(messages);
  if (invited.settled < MIN_SETTLED_INVITATIONS) {
    return {
      source: "defaults",
      acceptance: DEFAULT_ACCEPTANCE,
      reply: DEFAULT_REPLY,
      invitations: invited.settled,
      messages: 0,
    };
  }
  const replyObserved = texted.settled >= MIN_SETTLED_MESSAGES;
  return {
    source: "observed",
    acceptance: invited.answered / invited.settled,
    reply: replyObserved ? texted.answered / texted.settled : DEFAULT_REPLY,
    invitations: invited.settled,
    messages: replyObserved ? texted.settled : 0,
  };
}
