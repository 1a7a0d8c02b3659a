import { workspaceRoute } from "@/server/http/guard";
import { purchaseCredits, purchaseInput } from "@/server/pools";

export const POST = workspaceRoute(purchaseInput, purchaseCredits, { role: "admin" });
