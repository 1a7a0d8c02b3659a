import { campaignForecast, forecastInput } from "@/server/forecast";
import { parseInput, readJson, withWorkspace } from "@/server/guard";

// POST: the campaign's forecast, with optional "what if" changes in the body. The run stops
// when the request is cancelled (the user left the page).
export const POST = withWorkspace<{ campaignId: string }>(async (request, caller, params) => {
  const body = await readJson(request);
  const input = parseInput(forecastInput, { ...(body as object), ...params });
  return Response.json(await campaignForecast(caller, input, { signal: request.signal }));
});
