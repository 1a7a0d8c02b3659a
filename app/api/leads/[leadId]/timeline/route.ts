import { workspaceRoute } from "@/server/http/guard";
import { leadIdInput, leadTimeline } from "@/server/leads";

/** Every action, event, branch taken and credit of the lead, across campaigns, oldest first. */
export const GET = workspaceRoute(leadIdInput, leadTimeline);
