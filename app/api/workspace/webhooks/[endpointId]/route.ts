import { workspaceRoute } from "@/server/http/guard";
import { deleteWebhookEndpoint } from "@/server/webhooks/delete-webhook-endpoint";
import { webhookEndpointSecret } from "@/server/webhooks/get-webhook-endpoint-secret";
import { webhookEndpointIdInput } from "@/server/webhooks/webhook-endpoint-shared";

/** The endpoint's signing secret. */
export const GET = workspaceRoute(webhookEndpointIdInput, webhookEndpointSecret, { role: "admin" });
export const DELETE = workspaceRoute(webhookEndpointIdInput, deleteWebhookEndpoint, {
  role: "admin",
});
