import { removeLeadFromCampaign, removeLeadInput } from "@/server/campaigns";
import { workspaceRoute } from "@/server/http/guard";

export const DELETE = workspaceRoute(removeLeadInput, removeLeadFromCampaign, { role: "admin" });
