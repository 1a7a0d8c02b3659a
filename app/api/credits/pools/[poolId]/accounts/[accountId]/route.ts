import { assignAccount } from "@/server/credits/assign-pool-account";
import { poolAccountInput } from "@/server/credits/pool-shared";
import { unassignAccount } from "@/server/credits/unassign-pool-account";
import { workspaceRoute } from "@/server/http/guard";

// PUT: the account draws on this pool; DELETE: it stops drawing on it.
export const PUT = workspaceRoute(poolAccountInput, assignAccount, { role: "admin" });
export const DELETE = workspaceRoute(poolAccountInput, unassignAccount, { role: "admin" });
