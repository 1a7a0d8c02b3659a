import { apiKeyIdInput, revokeApiKey } from "@/server/api-keys/revoke-api-key";
import { workspaceRoute } from "@/server/http/guard";

/** Revokes the key: requests with it answer 401 from now on. */
export const DELETE = workspaceRoute(apiKeyIdInput, revokeApiKey, { role: "admin" });
