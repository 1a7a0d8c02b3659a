import {
  createSandboxAccount,
  createSandboxAccountInput,
} from "@/server/accounts/create-sandbox-account";
import { listAccounts } from "@/server/accounts/list-accounts";
import { withWorkspace, workspaceRoute } from "@/server/http/guard";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await listAccounts(caller)),
);

export const POST = workspaceRoute(createSandboxAccountInput, createSandboxAccount, {
  role: "admin",
  status: 201,
});
