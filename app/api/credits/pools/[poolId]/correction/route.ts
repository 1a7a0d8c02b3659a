import { workspaceRoute } from "@/server/http/guard";
import { correctBalance, correctionInput } from "@/server/pools";

export const POST = workspaceRoute(correctionInput, correctBalance, { role: "admin" });
