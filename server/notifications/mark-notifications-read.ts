import "server-only";

import { z } from "zod";
import { markNotificationsRead } from "@/db/queries/notifications";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { viewerOf } from "./notification-shared";

export const markReadInput = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(100) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

/** Marks the caller's notifications read; one that is not theirs to see is a 404. */
export async function markMyNotificationsRead(
  caller: Caller,
  input: z.infer<typeof markReadInput>,
  now: Date = new Date(),
) {
  const ids = "ids" in input ? input.ids : ("all" as const);
  const { matched } = await markNotificationsRead(caller.db, viewerOf(caller), ids, now);
  if (ids !== "all" && matched !== new Set(ids).size) throw notFound("Notification");
  return { read: matched };
}
