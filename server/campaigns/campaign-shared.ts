import "server-only";

import { z } from "zod";

// Campaign operations shared by the route handlers and the server actions. Each takes the
// resolved caller; ids from the client are always looked up inside caller.workspace, so
// another workspace's ids come back as "not found" and nothing of theirs changes.

export const id = z.string().min(1).max(100);

export const campaignIdInput = z.object({ campaignId: id });

export function describeCampaignStatus(status: string): string {
  return status === "draft" ? "a draft" : status;
}
