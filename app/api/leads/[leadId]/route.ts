import { workspaceRoute } from "@/server/http/guard";
import { describeLead } from "@/server/leads/describe-lead";
import { leadIdInput } from "@/server/leads/lead-shared";

export const GET = workspaceRoute(leadIdInput, describeLead);
