import "server-only";

import { Webhook } from "standardwebhooks";
import type { Database } from "@/db/client";
import {
  type AttemptOutcome,
  type AttemptResult,
  type ClaimedDelivery,
  claimDeliveries,
  recordAttempt,
} from "@/db/webhooks/delivery";
import { assertPublicWebhookUrl } from "./address";

/** A receiver gets this long to answer (`OUTFLOW_WEBHOOK_TIMEOUT_MS`, 10 s by default). */
export function webhookTimeoutMs(): number {
  const configured = Number(process.env.OUTFLOW_WEBHOOK_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 10_000;
}

const EXCERPT_CHARS = 500;

/** The body every endpoint receives: the Standard Webhooks shape. */
export function webhookBody(
  delivery: Pick<ClaimedDelivery, "event_type" | "occurred_at" | "payload">,
) {
  return JSON.stringify({
    type: delivery.event_type,
    timestamp: new Date(delivery.occurred_at).toISOString(),
    data: delivery.payload,
  });
}

/** Posts one delivery, signed with the endpoint's secret; never throws. */
export async function postDelivery(
  delivery: ClaimedDelivery,
  options: { timeoutMs?: number; now?: () => Date } = {},
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    // Checked again on every delivery: the host's DNS may point elsewhere since registration.
    await assertPublicWebhookUrl(delivery.url);
    const body = webhookBody(delivery);
    const signedAt = options.now?.() ?? new Date();
    const signature = new Webhook(delivery.secret).sign(delivery.event_id, signedAt, body);
    const response = await fetch(delivery.url, {
      method: "POST",
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? webhookTimeoutMs()),
      headers: {
        "content-type": "application/json",
        "user-agent": "Outflow-Webhooks/1",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
        "webhook-signature": signature,
      },
    });
    const text = await response.text().catch(() => "");
    return {
      ok: response.status >= 200 && response.status < 300,
      statusCode: response.status,
      latencyMs: elapsed(),
      responseExcerpt: text.slice(0, EXCERPT_CHARS) || null,
      error: null,
    };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      ok: false,
      statusCode: null,
      latencyMs: elapsed(),
      responseExcerpt: null,
      error: timedOut
        ? "No answer before the timeout"
        : error instanceof Error
          ? error.message.slice(0, EXCERPT_CHARS)
          : "The request failed",
    };
  }
}

export interface DeliveryRun {
  claimed: number;
  results: AttemptResult[];
}

/**
 * One pass of the delivery worker: claims due deliveries, posts them side by side, records each
 * attempt. Any number of workers may run this at once.
 */
export async function deliverDueWebhooks(
  db: Database,
  options: {
    owner: string;
    now?: () => Date;
    limit?: number;
    timeoutMs?: number;
    random?: () => number;
  },
): Promise<DeliveryRun> {
  const now = options.now ?? (() => new Date());
  const claimed = await claimDeliveries(db, {
    owner: options.owner,
    now: now(),
    limit: options.limit ?? 50,
  });
  const results = await Promise.all(
    claimed.map(async (delivery) => {
      const outcome = await postDelivery(delivery, { timeoutMs: options.timeoutMs, now });
      return recordAttempt(db, delivery, outcome, {
        owner: options.owner,
        now: now(),
        random: options.random,
      });
    }),
  );
  return { claimed: claimed.length, results };
}
