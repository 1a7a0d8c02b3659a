import { workspaceRoute } from "@/server/http/guard";
import { enableWebhookEndpoint, webhookEndpointIdInput } from "@/server/webhooks/endpoints";

/** Turns a disabled endpoint back on. */
export const POST = workspaceRoute(webhookEndpointIdInput, enableWebhookEndpoint, {
  role: "admin",
});
