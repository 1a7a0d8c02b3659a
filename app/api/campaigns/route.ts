import {
  createCampaignFor,
  createCampaignInput,
  GraphRefusedError,
} from "@/server/campaigns/create-campaign";
import { listCampaignsWithFigures } from "@/server/dashboard/list-campaigns-with-figures";
import { parseInput, readJson, withWorkspace } from "@/server/http/guard";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await listCampaignsWithFigures(caller)),
);

export const POST = withWorkspace(
  async (request, caller) => {
    const input = parseInput(createCampaignInput, await readJson(request));
    try {
      return Response.json(await createCampaignFor(caller, input), { status: 201 });
    } catch (error) {
      // The editor needs every diagnostic, per node, not just the first message.
      if (error instanceof GraphRefusedError) {
        return Response.json(error.toJSON(), { status: error.status });
      }
      throw error;
    }
  },
  { role: "admin" },
);
