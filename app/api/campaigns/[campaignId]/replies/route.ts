import { workspaceRoute } from "@/server/http/guard";
import {
  campaignRepliesByCategory,
  campaignRepliesInput,
} from "@/server/inbox/count-campaign-replies-by-category";

export const dynamic = "force-dynamic";

/** The campaign's replies by category, with reply and interested rates. */
export const GET = workspaceRoute(campaignRepliesInput, campaignRepliesByCategory);
