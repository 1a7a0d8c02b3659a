import { workspaceRoute } from "@/server/http/guard";
import { replayWebhookDeliveries, replayWebhooksInput } from "@/server/webhooks/endpoints";

export const POST = workspaceRoute(replayWebhooksInput, replayWebhookDeliveries, { role: "admin" });
