import { workspaceRoute } from "@/server/http/guard";
import { leadTimeline } from "@/server/leads/get-lead-timeline";
import { leadIdInput } from "@/server/leads/lead-shared";

/** Every action, event, branch taken and credit of the lead, across campaigns, oldest first. */
export const GET = workspaceRoute(leadIdInput, leadTimeline);
