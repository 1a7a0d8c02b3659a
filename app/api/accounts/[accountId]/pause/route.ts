import { accountIdInput, pauseAccount } from "@/server/accounts";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(accountIdInput, pauseAccount, { role: "admin" });
