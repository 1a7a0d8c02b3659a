import { campaignIdInput, pauseCampaign } from "@/server/campaigns";
import { workspaceRoute } from "@/server/guard";

export const POST = workspaceRoute(campaignIdInput, pauseCampaign, { role: "admin" });
