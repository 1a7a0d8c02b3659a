import {
  campaignWeightInput,
  updateCampaignWeight,
} from "@/server/campaigns/update-campaign-weight";
import { workspaceRoute } from "@/server/http/guard";

/** `{weight}` (1–10): the campaign's share of the seats it shares with others (admins). */
export const PUT = workspaceRoute(campaignWeightInput, updateCampaignWeight, { role: "admin" });
