import { parseInput, withWorkspace } from "@/server/http/guard";
import { exportSelectedLeads } from "@/server/leads/export-selected-leads";
import { leadSelectionInput } from "@/server/leads/lead-selection";

/**
 * The leads as CSV: `?ids=a,b,c` for the ones ticked, or the list's filters (`?search=`,
 * `?campaignId=`, `?status=`, `?stepId=`, `?field=`, `?value=`) for every lead they match.
 */
export const GET = withWorkspace(async (request, caller) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const { ids, ...filter } = query;
  const selection = parseInput(
    leadSelectionInput,
    ids ? { leadIds: ids.split(",").filter(Boolean) } : { filter },
  );
  const { csv } = await exportSelectedLeads(caller, selection);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="leads-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
