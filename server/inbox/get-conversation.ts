import "server-only";

import { sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows } from "@/db/client";
import type { ConversationMessage, ConversationThread } from "@/views/inbox";
import type { ReplyCategory } from "@/workflows/replies/index";
import type { Caller } from "../http/guard";
import { describeLead } from "../leads/describe-lead";
import { type conversationIdInput, findConversation, toConversation } from "./conversation-shared";

interface MessageRow {
  id: string;
  direction: ConversationMessage["direction"];
  origin: ConversationMessage["origin"];
  kind: string;
  subject: string | null;
  text: string;
  at: Date;
  sender_name: string | null;
  status: string;
  error: string | null;
  category: ReplyCategory | null;
  corrected_category: ReplyCategory | null;
  language: string | null;
  return_date: string | null;
  referral: string | null;
  campaign_name: string | null;
}

/** The thread: both sides of the conversation, oldest first, the lead's card and campaigns. */
export async function getConversation(
  caller: Caller,
  input: z.infer<typeof conversationIdInput>,
): Promise<ConversationThread> {
  const row = await findConversation(caller, input.conversationId);
  const [messages, lead] = await Promise.all([
    queryRows<MessageRow>(
      caller.db,
      sql`select m.id, m.direction, m.origin, m.kind, m.subject, m.text, m.at, m.sender_name,
                 m.status, m.error, m.category, m.corrected_category, m.language,
                 m.return_date::text as return_date, m.referral, cp.name as campaign_name
            from message m left join campaign cp on cp.id = m.campaign_id
           where m.conversation_id = ${row.id} and m.workspace_id = ${caller.workspace.workspaceId}
           order by m.at, m.created_at
           limit 1000`,
    ),
    describeLead(caller, { leadId: row.lead_id }),
  ]);
  return {
    conversation: toConversation(row),
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      origin: m.origin,
      kind: m.kind,
      subject: m.subject,
      text: m.text,
      at: new Date(m.at).toISOString(),
      sender: m.sender_name,
      status: m.status,
      error: m.error,
      category: m.corrected_category ?? m.category,
      classifiedAs: m.category,
      corrected: m.corrected_category !== null,
      language: m.language,
      returnDate: m.return_date,
      referral: m.referral,
      campaign: m.campaign_name,
    })),
    lead: lead.lead,
    blocklisted: lead.blocklisted,
    // The campaigns the lead is in on this seat: where it stands and what comes next.
    enrollments: lead.enrollments.filter((e) => e.accountName === row.account_name),
  };
}
