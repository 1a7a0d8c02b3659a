import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import {
  createWebhookEndpoint,
  createWebhookEndpointInput,
} from "@/server/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/server/webhooks/list-webhook-endpoints";

export const GET = withWorkspace(
  async (_request, caller) => Response.json(await listWebhookEndpoints(caller)),
  { role: "admin" },
);

export const POST = workspaceRoute(createWebhookEndpointInput, createWebhookEndpoint, {
  role: "admin",
  status: 201,
});
