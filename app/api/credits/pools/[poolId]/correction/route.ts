import { correctBalance, correctionInput } from "@/server/credits/correct-balance";
import { workspaceRoute } from "@/server/http/guard";

export const POST = workspaceRoute(correctionInput, correctBalance, { role: "admin" });
