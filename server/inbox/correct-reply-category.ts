import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { blocklistForUnsubscribe } from "@/db/inbox/effects";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { id, ReplyCategorySchema } from "./conversation-shared";

export const correctCategoryInput = z.object({
  messageId: id,
  category: ReplyCategorySchema,
});

/**
 * A person's correction of a reply's category: kept beside what the classifier read and never
 * overwritten. The conversation shows it when it is about the newest reply. Corrected to
 * `unsubscribe`, the lead goes on the blocklist as an unsubscribe reply would have put them.
 */
export async function correctCategory(caller: Caller, input: z.infer<typeof correctCategoryInput>) {
  const { db, workspace } = caller;
  const [found] = await queryRows<{ conversation_id: string; public_identifier: string }>(
    db,
    sql`update message m set corrected_category = ${input.category}
          from conversation c join lead l on l.id = c.lead_id
         where m.id = ${input.messageId} and m.workspace_id = ${workspace.workspaceId}
           and m.direction = 'in' and c.id = m.conversation_id
        returning m.conversation_id, l.public_identifier`,
  );
  if (!found) throw notFound("The reply");
  await db.execute(
    sql`update conversation c set category = ${input.category}
         where c.id = ${found.conversation_id}
           and ${input.messageId} = (select id from message where conversation_id = c.id
                                      and direction = 'in' order by at desc, created_at desc limit 1)`,
  );
  if (input.category === "unsubscribe") {
    await blocklistForUnsubscribe(db, workspace.workspaceId, found.public_identifier, engineNow());
  }
  return { messageId: input.messageId, category: input.category };
}
