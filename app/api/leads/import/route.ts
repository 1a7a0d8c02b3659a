import { HttpError } from "@/server/errors";
import { parseInput, readJson, withWorkspace } from "@/server/guard";
import { importLeads, importLeadsInput } from "@/server/leads";

/** Far above 20,000 leads with their custom fields; anything bigger is not an export. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Imports leads all or nothing, optionally enrolling them in a campaign. Not a plain
 * workspaceRoute: the operation watches the request's signal, so a client that cancels before
 * the transaction commits leaves nothing behind.
 */
export const POST = withWorkspace(
  async (request, caller) => {
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      throw new HttpError(413, "too_large", "The import is too large: split the file.");
    }
    const input = parseInput(importLeadsInput, await readJson(request));
    return Response.json(await importLeads(caller, input, { signal: request.signal }));
  },
  { role: "admin" },
);
