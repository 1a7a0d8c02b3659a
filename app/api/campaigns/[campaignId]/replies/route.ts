import { workspaceRoute } from "@/server/http/guard";
import { campaignRepliesByCategory, campaignRepliesInput } from "@/server/inbox/reply-categories";

export const dynamic = "force-dynamic";

/** The campaign's replies by category, with reply and interested rates. */
export const GET = workspaceRoute(campaignRepliesInput, campaignRepliesByCategory);
