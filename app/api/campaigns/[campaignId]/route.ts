import { campaignIdInput, describeCampaign } from "@/server/campaigns";
import { workspaceRoute } from "@/server/http/guard";

export const GET = workspaceRoute(campaignIdInput, describeCampaign);
