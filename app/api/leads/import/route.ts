import { HttpError } from "@/server/errors";
import { parseInput, readJson, withWorkspace } from "@/server/guard";
import { trackImport } from "@/server/import-registry";
import { importLeads, importLeadsInput } from "@/server/leads";

/** Far above 20,000 leads with their custom fields; anything bigger is not an export. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Imports leads all or nothing, optionally enrolling them in a campaign. Not a plain
 * workspaceRoute: the import stops and rolls back when the browser cancels it, by its own
 * request (app/api/leads/import/cancel) or by closing the connection before the commit.
 */
export const POST = withWorkspace(
  async (request, caller) => {
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      throw new HttpError(413, "too_large", "The import is too large: split the file.");
    }
    const input = parseInput(importLeadsInput, await readJson(request));
    const run = (cancel?: AbortSignal) =>
      importLeads(caller, input, {
        signal: cancel ? AbortSignal.any([request.signal, cancel]) : request.signal,
      });
    const result = input.importId ? await trackImport(input.importId, run) : await run();
    return Response.json(result);
  },
  { role: "admin" },
);
