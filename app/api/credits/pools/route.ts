import { createPool, createPoolInput } from "@/server/credits/create-pool";
import { describePools } from "@/server/credits/describe-pools";
import { withWorkspace, workspaceRoute } from "@/server/http/guard";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await describePools(caller)),
);

export const POST = workspaceRoute(createPoolInput, createPool, { role: "admin", status: 201 });
