import { z } from "zod";
import { jsonError, parseInput, readJson } from "@/server/http/guard";
import { guardApiWrite } from "@/server/http/request-guard";
import { cancelImport } from "@/server/leads/import-registry";

const cancelInput = z.object({ importId: z.uuid() });

/**
 * Cancels a running import and answers how it ended ("cancelled" or "saved", with its
 * figures). The import's random id is the capability: only the browser that started the
 * import knows it. No session lookup, on purpose: the embedded database is busy with the
 * import's transaction until it ends (server/leads/import-registry.ts).
 */
export async function POST(request: Request): Promise<Response> {
  const forged = guardApiWrite(request);
  if (forged) return forged;
  try {
    const { importId } = parseInput(cancelInput, await readJson(request));
    return Response.json(await cancelImport(importId));
  } catch (error) {
    return jsonError(error);
  }
}
