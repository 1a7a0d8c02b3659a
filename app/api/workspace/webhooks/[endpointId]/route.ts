import { workspaceRoute } from "@/server/http/guard";
import {
  deleteWebhookEndpoint,
  webhookEndpointIdInput,
  webhookEndpointSecret,
} from "@/server/webhooks/endpoints";

/** The endpoint's signing secret. */
export const GET = workspaceRoute(webhookEndpointIdInput, webhookEndpointSecret, { role: "admin" });
export const DELETE = workspaceRoute(webhookEndpointIdInput, deleteWebhookEndpoint, {
  role: "admin",
});
