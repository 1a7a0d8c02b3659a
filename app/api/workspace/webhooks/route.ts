import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import {
  createWebhookEndpoint,
  createWebhookEndpointInput,
  listWebhookEndpoints,
} from "@/server/webhooks/endpoints";

export const GET = withWorkspace(
  async (_request, caller) => Response.json(await listWebhookEndpoints(caller)),
  { role: "admin" },
);

export const POST = workspaceRoute(createWebhookEndpointInput, createWebhookEndpoint, {
  role: "admin",
  status: 201,
});
