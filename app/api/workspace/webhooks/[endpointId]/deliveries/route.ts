import { workspaceRoute } from "@/server/http/guard";
import { webhookDeliveryLog, webhookEndpointIdInput } from "@/server/webhooks/endpoints";

export const dynamic = "force-dynamic";

/** The endpoint's delivery log, newest first. */
export const GET = workspaceRoute(webhookEndpointIdInput, webhookDeliveryLog, { role: "admin" });
