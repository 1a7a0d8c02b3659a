import { getDb } from "@/db/client";
import { jsonError, readJson } from "@/server/http/guard";
import { completeUnipileConnection } from "@/server/unipile/connect";

// Called by Unipile (not by a browser) once a hosted sign-in succeeds. The signed token in the
// URL, not a session, says which connection it completes.
export async function POST(request: Request): Promise<Response> {
  try {
    const db = await getDb();
    const result = await completeUnipileConnection(
      db,
      new URL(request.url).searchParams,
      await readJson(request),
    );
    return Response.json(result);
  } catch (error) {
    return jsonError(error);
  }
}
