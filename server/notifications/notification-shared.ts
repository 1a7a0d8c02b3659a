import "server-only";

import { z } from "zod";
import { NOTIFICATION_KINDS } from "@/workflows/notifications/kinds";
import type { Caller } from "../http/guard";

// The notification centre for the signed-in person, their channels, and the workspace's Slack.

export const viewerOf = (caller: Caller) => ({
  workspaceId: caller.workspace.workspaceId,
  userId: caller.user.id,
  role: caller.workspace.role,
});

export const kindSchema = z.enum(NOTIFICATION_KINDS);
