import { withWorkspace } from "@/server/http/guard";
import { assignableMembers } from "@/server/inbox/list-assignable-members";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json({ members: await assignableMembers(caller) }),
);
