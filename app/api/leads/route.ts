import { parseInput, withWorkspace } from "@/server/http/guard";
import { listLeads, listLeadsInput } from "@/server/leads/list-leads";

/** The workspace's leads: `?search=`, `?campaignId=`, `?status=` filter, `?page=` pages. */
export const GET = withWorkspace(async (request, caller) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(await listLeads(caller, parseInput(listLeadsInput, query)));
});
