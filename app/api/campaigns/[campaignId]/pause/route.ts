import { campaignIdInput, pauseCampaign } from "@/server/campaigns";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(campaignIdInput, pauseCampaign, { role: "admin" });
