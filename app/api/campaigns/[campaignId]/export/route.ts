import { exportCampaignEnrollments } from "@/server/dashboard/export-campaign-enrollments";
import { dashboardInput } from "@/server/dashboard/get-campaign-dashboard";
import { parseInput, withWorkspace } from "@/server/http/guard";

export const dynamic = "force-dynamic";

/** The campaign's enrollments as a CSV download. */
export const GET = withWorkspace<{ campaignId: string }>(async (_request, caller, params) => {
  const { filename, body } = await exportCampaignEnrollments(
    caller,
    parseInput(dashboardInput, params),
  );
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
});
