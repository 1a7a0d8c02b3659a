import { deletePool, poolIdInput } from "@/server/credits/delete-pool";
import { updatePool, updatePoolInput } from "@/server/credits/update-pool";
import { workspaceRoute } from "@/server/http/guard";

export const PATCH = workspaceRoute(updatePoolInput, updatePool, { role: "admin" });
export const DELETE = workspaceRoute(poolIdInput, deletePool, { role: "admin" });
