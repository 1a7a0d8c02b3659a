import { readJsonYielding, withWorkspace } from "@/server/guard";
import { importLeads, parseImportLeadsInput } from "@/server/leads";

/** Far above 20,000 leads with their custom fields; anything bigger is not an export. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Imports leads all or nothing, optionally enrolling them in a campaign. Not a plain
 * workspaceRoute: the body is bounded as it streams in (413 past the limit, Content-Length or
 * not) and parsed in slices so other requests keep their turns; and the operation watches the
 * request's signal, so a client that cancels before the transaction commits leaves nothing.
 */
export const POST = withWorkspace(
  async (request, caller) => {
    const input = await parseImportLeadsInput(await readJsonYielding(request, MAX_BODY_BYTES));
    return Response.json(await importLeads(caller, input, { signal: request.signal }));
  },
  { role: "admin" },
);
