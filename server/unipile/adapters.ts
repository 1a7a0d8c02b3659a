import "server-only";

import type { Database } from "@/db/client";
import { findLeadApiId, latestMessageChatId, saveLeadApiId } from "@/db/queries/unipile";
import { UnipileProvider } from "@/workflows/providers/unipile/index";
import { workspaceUnipile } from "./workspace-unipile";

/** How long a workspace's adapter (or the reason it has none) is reused before re-reading. */
const CACHE_MS = 60_000;

export interface UnipileAdapters {
  /** The workspace's adapter, or why there is none (no credentials, no key on this server). */
  forWorkspace(workspaceId: string): Promise<UnipileProvider | { missing: string }>;
}

export interface UnipileAdaptersOptions {
  /** Longest wait for one Unipile call. */
  timeoutMs?: number;
  /** Real time in epoch ms, for the cache; injectable for tests. */
  realTime?: () => number;
}

/**
 * One Unipile adapter per workspace, built from its stored credentials and rebuilt when they
 * change. The decrypted key lives only inside the SDK client held here.
 */
export function createUnipileAdapters(
  db: Database,
  options: UnipileAdaptersOptions = {},
): UnipileAdapters {
  const realTime = options.realTime ?? Date.now;
  const cache = new Map<
    string,
    { checkedAt: number; updatedAt: number | null; adapter: UnipileProvider | { missing: string } }
  >();
  return {
    async forWorkspace(workspaceId) {
      const cached = cache.get(workspaceId);
      if (cached && realTime() - cached.checkedAt < CACHE_MS) return cached.adapter;
      const found = await workspaceUnipile(db, workspaceId);
      if ("missing" in found) {
        cache.set(workspaceId, { checkedAt: realTime(), updatedAt: null, adapter: found });
        return found;
      }
      const updatedAt = found.updatedAt.getTime();
      const adapter =
        cached && cached.updatedAt === updatedAt && !("missing" in cached.adapter)
          ? cached.adapter
          : new UnipileProvider({
              client: found.client,
              timeoutMs: options.timeoutMs,
              knownChatId: (account, lead) =>
                latestMessageChatId(db, account.accountId, lead.leadId),
              apiIds: {
                find: (account, lead, api) =>
                  findLeadApiId(db, account.accountId, lead.leadId, api),
                save: (account, lead, api, providerId) =>
                  saveLeadApiId(db, {
                    accountId: account.accountId,
                    leadId: lead.leadId,
                    api,
                    providerId,
                    at: new Date(realTime()),
                  }),
              },
            });
      cache.set(workspaceId, { checkedAt: realTime(), updatedAt, adapter });
      return adapter;
    },
  };
}
