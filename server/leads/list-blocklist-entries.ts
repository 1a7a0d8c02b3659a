import "server-only";

import { z } from "zod";
import { listBlocklist } from "@/db/queries/leads";
import type { Caller } from "../http/guard";
import { displayName, optional } from "./lead-shared";

export const listBlocklistInput = z.object({
  search: optional(z.string().trim().max(100)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listBlocklistEntries(
  caller: Caller,
  input: z.infer<typeof listBlocklistInput>,
) {
  const { db, workspace } = caller;
  const { rows, total } = await listBlocklist(db, workspace.workspaceId, {
    search: input.search || undefined,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return {
    entries: rows.map((row) => ({
      publicIdentifier: row.publicIdentifier,
      reason: row.reason,
      createdAt: row.createdAt,
      lead: row.leadId
        ? {
            id: row.leadId,
            name: displayName({
              ...row,
              firstName: row.firstName ?? "",
              lastName: row.lastName ?? "",
            }),
            company: row.company ?? "",
          }
        : null,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
