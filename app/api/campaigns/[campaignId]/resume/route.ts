import { campaignIdInput, resumeCampaign } from "@/server/campaigns";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(campaignIdInput, resumeCampaign, { role: "admin" });
