import { workspaceRoute } from "@/server/guard";
import { purchaseCredits, purchaseInput } from "@/server/pools";

export const POST = workspaceRoute(purchaseInput, purchaseCredits, { role: "admin" });
