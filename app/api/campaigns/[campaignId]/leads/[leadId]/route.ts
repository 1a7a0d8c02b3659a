import {
  removeLeadFromCampaign,
  removeLeadInput,
} from "@/server/campaigns/remove-lead-from-campaign";
import { workspaceRoute } from "@/server/http/guard";

export const DELETE = workspaceRoute(removeLeadInput, removeLeadFromCampaign, { role: "admin" });
