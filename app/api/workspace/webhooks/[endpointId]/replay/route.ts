import { workspaceRoute } from "@/server/http/guard";
import {
  replayWebhookDeliveries,
  replayWebhooksInput,
} from "@/server/webhooks/replay-webhook-deliveries";

export const POST = workspaceRoute(replayWebhooksInput, replayWebhookDeliveries, { role: "admin" });
