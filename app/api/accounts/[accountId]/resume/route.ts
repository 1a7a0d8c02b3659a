import { accountIdInput } from "@/server/accounts/account-shared";
import { resumeAccount } from "@/server/accounts/resume-account";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(accountIdInput, resumeAccount, { role: "admin" });
