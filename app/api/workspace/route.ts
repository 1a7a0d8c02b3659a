import { withWorkspace } from "@/server/http/guard";
import { describeWorkspace } from "@/server/workspaces/describe-workspace";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await describeWorkspace(caller)),
);
