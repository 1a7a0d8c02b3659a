import { accountIdInput } from "@/server/accounts/account-shared";
import { pauseAccount } from "@/server/accounts/pause-account";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(accountIdInput, pauseAccount, { role: "admin" });
