import "server-only";

import { badRequest } from "../http/errors";
import { assertPublicWebhookUrl, privateWebhooksAllowed } from "../webhooks/address";

function isSlackHook(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" && url.hostname === "hooks.slack.com";
  } catch {
    return false;
  }
}

/**
 * A Slack incoming webhook: https://hooks.slack.com/…, checked like a webhook endpoint (public
 * addresses only, after DNS resolution). With `OUTFLOW_ALLOW_PRIVATE_WEBHOOKS=1` any http(s)
 * URL is taken, for local development and tests.
 */
export async function assertSlackWebhookUrl(raw: string): Promise<URL> {
  if (!privateWebhooksAllowed() && !isSlackHook(raw)) {
    throw badRequest(
      "A Slack incoming webhook starts with https://hooks.slack.com/.",
      "invalid_url",
    );
  }
  return assertPublicWebhookUrl(raw);
}
