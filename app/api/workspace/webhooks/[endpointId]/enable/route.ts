import { workspaceRoute } from "@/server/http/guard";
import { enableWebhookEndpoint } from "@/server/webhooks/enable-webhook-endpoint";
import { webhookEndpointIdInput } from "@/server/webhooks/webhook-endpoint-shared";

/** Turns a disabled endpoint back on. */
export const POST = workspaceRoute(webhookEndpointIdInput, enableWebhookEndpoint, {
  role: "admin",
});
