import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import { createPool, createPoolInput, describePools } from "@/server/pools";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await describePools(caller)),
);

export const POST = workspaceRoute(createPoolInput, createPool, { role: "admin", status: 201 });
