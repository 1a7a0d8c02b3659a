import { workspaceRoute } from "@/server/http/guard";
import { createReconnectLink, reconnectAccountInput } from "@/server/unipile/connect";

export const POST = workspaceRoute(reconnectAccountInput, createReconnectLink, {
  role: "admin",
  status: 201,
});
