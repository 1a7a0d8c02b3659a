import { campaignEta } from "@/server/forecast/get-campaign-eta";
import { campaignForecast, forecastInput } from "@/server/forecast/get-campaign-forecast";
import {
  campaignForecastOptions,
  forecastOptionsInput,
} from "@/server/forecast/get-campaign-forecast-options";
import { parseInput, readJson, withWorkspace } from "@/server/http/guard";

// GET: what the forecast's "what if" offers (seats, InMail branches, lead counts, rates) and,
// unless `eta=0`, the header's ETA (the campaign's kept forecast, or one quick run). The run
// stops when the request is cancelled.
export const GET = withWorkspace<{ campaignId: string }>(async (request, caller, params) => {
  const search = new URL(request.url).searchParams;
  const input = parseInput(forecastOptionsInput, {
    campaignId: params.campaignId,
    eta: search.get("eta") !== "0",
  });
  const draft = search.get("draft") === "1";
  const options = await campaignForecastOptions(caller, { campaignId: input.campaignId, draft });
  const eta =
    // No ETA without seats, or with no lead left in flight.
    input.eta && options.leadsInFlight > 0 && options.seats.some((seat) => seat.inCampaign)
      ? await campaignEta(caller, input.campaignId, { signal: request.signal })
      : null;
  return Response.json({ ...options, eta });
});

// POST: the campaign's forecast, with optional "what if" changes in the body. The run stops
// when the request is cancelled (the user left the page).
export const POST = withWorkspace<{ campaignId: string }>(async (request, caller, params) => {
  const body = await readJson(request);
  const input = parseInput(forecastInput, { ...(body as object), ...params });
  return Response.json(await campaignForecast(caller, input, { signal: request.signal }));
});
