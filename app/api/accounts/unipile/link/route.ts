import { workspaceRoute } from "@/server/http/guard";
import { connectAccountInput, createConnectLink } from "@/server/unipile/connect";

export const POST = workspaceRoute(connectAccountInput, createConnectLink, {
  role: "admin",
  status: 201,
});
