import { workspaceRoute } from "@/server/http/guard";
import { assignAccount, poolAccountInput, unassignAccount } from "@/server/pools";

// PUT: the account draws on this pool; DELETE: it stops drawing on it.
export const PUT = workspaceRoute(poolAccountInput, assignAccount, { role: "admin" });
export const DELETE = workspaceRoute(poolAccountInput, unassignAccount, { role: "admin" });
