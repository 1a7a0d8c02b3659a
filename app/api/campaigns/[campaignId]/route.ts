import { campaignIdInput, describeCampaign } from "@/server/campaigns";
import { workspaceRoute } from "@/server/guard";

export const GET = workspaceRoute(campaignIdInput, describeCampaign);
