import { workspaceRoute } from "@/server/http/guard";
import { webhookDeliveryLog } from "@/server/webhooks/list-webhook-deliveries";
import { webhookEndpointIdInput } from "@/server/webhooks/webhook-endpoint-shared";

export const dynamic = "force-dynamic";

/** The endpoint's delivery log, newest first. */
export const GET = workspaceRoute(webhookEndpointIdInput, webhookDeliveryLog, { role: "admin" });
