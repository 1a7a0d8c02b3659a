/** Helpers the acting kinds share when they prepare a send. */
import type { SendRoute } from "./definition";
import type { RenderForSendResult } from "./template";

/** A text that cannot be sent to this lead stops the lead here, saying why. */
export function cannotRender(
  what: string,
  result: Extract<RenderForSendResult, { ok: false }>,
): SendRoute {
  return {
    type: "end",
    outcome: "stopped",
    reason:
      result.reason === "missing_variable"
        ? `${what}: no value for ${result.missingVariables.join(", ")}`
        : `${what}: too long for this lead`,
  };
}

/** The default for a refusal a kind does not route itself: the lead stops, saying why. */
export function stopped(reason: string): SendRoute {
  return { type: "end", outcome: "stopped", reason: reason.replaceAll("_", " ") };
}
