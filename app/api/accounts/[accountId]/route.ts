import { accountIdInput, describeAccount } from "@/server/accounts";
import { workspaceRoute } from "@/server/http/guard";

export const GET = workspaceRoute(accountIdInput, (caller, input) =>
  describeAccount(caller, input),
);
