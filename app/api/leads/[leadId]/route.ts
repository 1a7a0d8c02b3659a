import { workspaceRoute } from "@/server/http/guard";
import { describeLead, leadIdInput } from "@/server/leads";

export const GET = workspaceRoute(leadIdInput, describeLead);
