import type { InboundEvent } from "../providers/types";
import { classifyReply, type ReplyClassification } from "./classify";

/** How long an out-of-office reply without a return date pauses a lead, by default. */
export const OUT_OF_OFFICE_PAUSE_DAYS = 7;

/**
 * A reply is read once, on arrival: its category decides what it does. An out-of-office reply
 * is kept as its own event type, which the engine does not take for a reply. Both stores (the
 * database's intake and the in-memory one) read events through this.
 */
export function readInboundEvent(event: InboundEvent): {
  classification: ReplyClassification | null;
  type: string;
} {
  const classification =
    event.type === "replied" && event.text
      ? classifyReply(event.text, { referenceDate: event.occurredAt })
      : null;
  const type = classification?.category === "out_of_office" ? "out_of_office" : event.type;
  return { classification, type };
}
