import { createApiKey, createApiKeyInput } from "@/server/api-keys/create-api-key";
import { listApiKeys } from "@/server/api-keys/list-api-keys";
import { withWorkspace, workspaceRoute } from "@/server/http/guard";

export const GET = withWorkspace(
  async (_request, caller) => Response.json(await listApiKeys(caller)),
  {
    role: "admin",
  },
);

/** Creates a key: the answer holds the key itself, the only time it is shown. */
export const POST = workspaceRoute(createApiKeyInput, createApiKey, { role: "admin", status: 201 });
