import { workspaceRoute } from "@/server/guard";
import { describeLead, leadIdInput } from "@/server/leads";

export const GET = workspaceRoute(leadIdInput, describeLead);
