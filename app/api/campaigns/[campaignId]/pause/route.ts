import { campaignIdInput } from "@/server/campaigns/campaign-shared";
import { pauseCampaign } from "@/server/campaigns/pause-campaign";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(campaignIdInput, pauseCampaign, { role: "admin" });
