import { readJsonYielding, withWorkspace } from "@/server/http/guard";
import { importLeads, parseImportLeadsInput } from "@/server/leads/import-leads";
import { trackImport } from "@/server/leads/import-registry";

/** Far above 20,000 leads with their custom fields; anything bigger is not an export. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Imports leads all or nothing, optionally enrolling them in a campaign. Not a plain
 * workspaceRoute: the body is bounded as it streams in (413 past the limit, Content-Length or
 * not) and parsed in slices so other requests keep their turns; and the import stops and rolls
 * back when the browser cancels it, by its own request (app/api/leads/import/cancel) or by
 * closing the connection before the commit.
 */
export const POST = withWorkspace(
  async (request, caller) => {
    const input = await parseImportLeadsInput(await readJsonYielding(request, MAX_BODY_BYTES));
    const run = (cancel?: AbortSignal) =>
      importLeads(caller, input, {
        signal: cancel ? AbortSignal.any([request.signal, cancel]) : request.signal,
      });
    const result = input.importId ? await trackImport(input.importId, run) : await run();
    return Response.json(result);
  },
  { role: "admin" },
);
