import { addLeadsInput, addLeadsToCampaign } from "@/server/campaigns/add-leads-to-campaign";
import { listCampaignLeads, listCampaignLeadsInput } from "@/server/campaigns/list-campaign-leads";
import { parseInput, withWorkspace, workspaceRoute } from "@/server/http/guard";

/** The campaign's leads; `?search=` narrows by name, company or identifier, `?limit=` caps. */
export const GET = withWorkspace<{ campaignId: string }>(async (request, caller, params) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const input = parseInput(listCampaignLeadsInput, { ...query, campaignId: params.campaignId });
  return Response.json(await listCampaignLeads(caller, input));
});

/** Up to 5,000 leads with their custom fields: more room than the default body limit. */
export const POST = workspaceRoute(addLeadsInput, addLeadsToCampaign, {
  role: "admin",
  maxBodyBytes: 16 * 1024 * 1024,
});
