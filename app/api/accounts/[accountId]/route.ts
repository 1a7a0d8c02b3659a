import { accountIdInput } from "@/server/accounts/account-shared";
import { describeAccount } from "@/server/accounts/describe-account";
import { workspaceRoute } from "@/server/http/guard";

export const GET = workspaceRoute(accountIdInput, (caller, input) =>
  describeAccount(caller, input),
);
