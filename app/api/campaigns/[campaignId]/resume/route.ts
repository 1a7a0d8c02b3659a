import { campaignIdInput } from "@/server/campaigns/campaign-shared";
import { resumeCampaign } from "@/server/campaigns/resume-campaign";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(campaignIdInput, resumeCampaign, { role: "admin" });
