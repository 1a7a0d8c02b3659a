import { campaignDashboard, dashboardInput } from "@/server/dashboard/get-campaign-dashboard";
import { workspaceRoute } from "@/server/http/guard";

// Polled by the campaign page every few seconds: never cached.
export const dynamic = "force-dynamic";

export const GET = workspaceRoute(dashboardInput, campaignDashboard);
