import { loadDemo, loadDemoInput } from "@/server/demo/load-demo";
import { parseInput, readJson, withWorkspace } from "@/server/http/guard";

/** Loads the demo campaign: 201 when it was made now, 200 with the same campaign afterwards. */
export const POST = withWorkspace(
  async (request, caller) => {
    const input = parseInput(loadDemoInput, await readJson(request));
    const result = await loadDemo(caller, input);
    return Response.json(result, { status: result.created ? 201 : 200 });
  },
  { role: "admin" },
);
