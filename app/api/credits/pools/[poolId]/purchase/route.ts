import { purchaseCredits, purchaseInput } from "@/server/credits/purchase-credits";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(purchaseInput, purchaseCredits, { role: "admin" });
