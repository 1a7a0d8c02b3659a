import { workspaceRoute } from "@/server/http/guard";
import { deletePool, poolIdInput, updatePool, updatePoolInput } from "@/server/pools";

export const PATCH = workspaceRoute(updatePoolInput, updatePool, { role: "admin" });
export const DELETE = workspaceRoute(poolIdInput, deletePool, { role: "admin" });
