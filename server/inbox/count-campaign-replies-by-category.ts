import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import type { CampaignReplies } from "@/views/inbox";
import { REPLY_CATEGORIES, type ReplyCategory } from "@/workflows/replies/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const campaignRepliesInput = z.object({ campaignId: z.string().min(1).max(100) });

/**
 * A campaign's replies by category, beside its reply rate: each lead who replied counts once,
 * in the category of their newest reply (a person's correction wins), out of the leads the
 * campaign wrote to (a note, a message or an InMail sent). Kept apart from the dashboard's own
 * counters so either can change alone.
 */
export async function campaignRepliesByCategory(
  caller: Caller,
  input: z.infer<typeof campaignRepliesInput>,
): Promise<CampaignReplies> {
  const { db, workspace } = caller;
  const [found] = await queryRows<{ id: string }>(
    db,
    sql`select id from campaign where id = ${input.campaignId} and workspace_id = ${workspace.workspaceId}`,
  );
  if (!found) throw notFound("The campaign");
  const [contacted] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct lead_id)::int as n from action
         where campaign_id = ${input.campaignId} and workspace_id = ${workspace.workspaceId}
           and has_text and status = 'sent'`,
  );
  const rows = await queryRows<{ category: ReplyCategory | null; n: number }>(
    db,
    sql`select latest.category, count(*)::int as n
          from (select distinct on (c.id) coalesce(m.corrected_category, m.category) as category
                  from message m join conversation c on c.id = m.conversation_id
                 where m.workspace_id = ${workspace.workspaceId}
                   and m.campaign_id = ${input.campaignId} and m.direction = 'in'
                 order by c.id, m.at desc) latest
         group by latest.category`,
  );
  const byCategory = Object.fromEntries(REPLY_CATEGORIES.map((c) => [c, 0])) as Record<
    ReplyCategory,
    number
  >;
  let replied = 0;
  for (const row of rows) {
    byCategory[row.category ?? "other"] += row.n;
    replied += row.n;
  }
  const base = contacted?.n ?? 0;
  return {
    contacted: base,
    replied,
    byCategory,
    replyRate: base > 0 ? replied / base : null,
    interestedRate: base > 0 ? byCategory.interested / base : null,
  };
}
