import { accountIdInput, resumeAccount } from "@/server/accounts";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(accountIdInput, resumeAccount, { role: "admin" });
