import { campaignIdInput } from "@/server/campaigns/campaign-shared";
import { describeCampaign } from "@/server/campaigns/describe-campaign";
import { workspaceRoute } from "@/server/http/guard";

export const GET = workspaceRoute(campaignIdInput, describeCampaign);
