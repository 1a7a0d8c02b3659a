import "server-only";

import { z } from "zod";
import { replayDeliveries } from "@/db/webhooks/outbox";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { requireEndpoint } from "./webhook-endpoint-shared";

/** A replay of a time range resends at most this many deliveries. */
export const MAX_REPLAY = 10_000;

const replayFields = {
  /** One delivery to send again… */
  deliveryId: z.string().min(1).max(100).optional(),
  /** …or every delivery created in this range. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};
const oneOrRange = <T extends { deliveryId?: string; from?: string }>(input: T) =>
  (input.deliveryId === undefined) !== (input.from === undefined);
const oneOrRangeMessage = {
  message: "Give a delivery, or the start of a time range (one of the two).",
  path: ["deliveryId"],
};

/** What to replay: one delivery, or a time range. */
export const replayWebhooksBody = z.object(replayFields).refine(oneOrRange, oneOrRangeMessage);
export const replayWebhooksInput = z
  .object({ endpointId: z.string().min(1).max(100), ...replayFields })
  .refine(oneOrRange, oneOrRangeMessage);

export async function replayWebhookDeliveries(
  caller: Caller,
  input: z.infer<typeof replayWebhooksInput>,
) {
  await requireEndpoint(caller, input.endpointId);
  const replayed = await replayDeliveries(caller.db, {
    workspaceId: caller.workspace.workspaceId,
    endpointId: input.endpointId,
    deliveryId: input.deliveryId,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
    limit: MAX_REPLAY,
  });
  if (input.deliveryId && replayed === 0) throw notFound("Delivery");
  return { replayed };
}
