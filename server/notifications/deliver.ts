import "server-only";

import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "@/db/client";
import {
  type ClaimedNotification,
  claimNotificationDeliveries,
  markSlackCallStarted,
  type NotificationOutcome,
  type NotificationResult,
  recordNotificationAttempt,
} from "@/db/notifications/delivery";
import { emailConfigured } from "@/db/notifications/outbox";
import { webhookTimeoutMs } from "../webhooks/deliver";
import { assertSlackWebhookUrl } from "./slack";

// Sends the notifications' email and Slack deliveries; run by the engine's workers beside the
// webhook deliveries. After a worker died between a call and its record: an email is sent
// again with the same Message-ID (the delivery's id), which mail systems use to recognise the
// same message; a Slack post, which has no such key, is not sent again (`unknown`).

let transport: { url: string; transporter: Transporter } | null = null;

function mailer(): Transporter {
  const url = process.env.SMTP_URL ?? "";
  if (transport?.url !== url) {
    transport = { url, transporter: nodemailer.createTransport(url) };
  }
  return transport.transporter;
}

/** The app's address, for the links in emails and Slack posts. */
export function appUrl(): string {
  const base =
    process.env.OUTFLOW_PUBLIC_URL ||
    process.env.BETTER_AUTH_URL ||
    `http://localhost:${process.env.PORT || 3000}`;
  return base.replace(/\/+$/, "");
}

const failure = (error: unknown) =>
  error instanceof Error && error.name === "TimeoutError"
    ? "No answer before the timeout"
    : error instanceof Error
      ? error.message.slice(0, 300)
      : "The request failed";

async function sendEmail(delivery: ClaimedNotification): Promise<NotificationOutcome> {
  if (!delivery.email) return { ok: false, error: "No longer a member", skip: true };
  if (!emailConfigured()) return { ok: false, error: "Email is not configured", skip: true };
  const link = delivery.link ? `${appUrl()}${delivery.link}` : appUrl();
  try {
    await mailer().sendMail({
      from: process.env.MAIL_FROM,
      to: delivery.email,
      subject: `${delivery.title} (${delivery.workspace_name})`,
      messageId: `<${delivery.id}@outflow.notifications>`,
      text: `${delivery.title}\n\n${delivery.body ? `${delivery.body}\n\n` : ""}${link}\n\nYou get this email because you chose email for this kind of notification in ${delivery.workspace_name}. Change it in Outflow: ${appUrl()}/settings#notifications`,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: failure(error) };
  }
}

async function postSlack(delivery: ClaimedNotification): Promise<NotificationOutcome> {
  if (!delivery.slack_url) return { ok: false, error: "Slack no longer wants it", skip: true };
  const link = delivery.link ? `${appUrl()}${delivery.link}` : appUrl();
  try {
    await assertSlackWebhookUrl(delivery.slack_url);
    const response = await fetch(delivery.slack_url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(webhookTimeoutMs()),
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        text: `*${delivery.title}*${delivery.body ? `\n${delivery.body}` : ""}\n<${link}|Open in Outflow>`,
      }),
    });
    await response.text().catch(() => "");
    return response.ok ? { ok: true } : { ok: false, error: `Slack answered ${response.status}` };
  } catch (error) {
    return { ok: false, error: failure(error) };
  }
}

export function sendNotification(delivery: ClaimedNotification): Promise<NotificationOutcome> {
  return delivery.channel === "email" ? sendEmail(delivery) : postSlack(delivery);
}

/** One pass: claims due deliveries, sends them side by side, records each attempt. */
export async function deliverDueNotifications(
  db: Database,
  options: {
    owner: string;
    now?: () => Date;
    limit?: number;
    random?: () => number;
  },
): Promise<{ claimed: number; results: NotificationResult[] }> {
  const now = options.now ?? (() => new Date());
  const claimed = await claimNotificationDeliveries(db, {
    owner: options.owner,
    now: now(),
    limit: options.limit ?? 20,
  });
  const results = await Promise.all(
    claimed.map(async (delivery): Promise<NotificationResult> => {
      if (
        delivery.channel === "slack" &&
        delivery.slack_url &&
        !(await markSlackCallStarted(db, delivery, { owner: options.owner, now: now() }))
      ) {
        return "lost_lease";
      }
      return recordNotificationAttempt(db, delivery, await sendNotification(delivery), {
        owner: options.owner,
        now: now(),
        random: options.random,
      });
    }),
  );
  return { claimed: claimed.length, results };
}
