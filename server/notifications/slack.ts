import { badRequest } from "../errors";
import { assertPublicWebhookUrl, privateWebhooksAllowed } from "../webhooks/address";

/**
 * A Slack incoming webhook: https://hooks.slack.com/…, checked like a webhook endpoint (public
 * addresses only, after DNS resolution). With `OUTFLOW_ALLOW_PRIVATE_WEBHOOKS=1` any http(s)
 * URL is taken, for local development and tests.
 */
export async function assertSlackWebhookUrl(raw: string): Promise<URL> {
  if (!privateWebhooksAllowed()) {
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {}
    if (!url || url.protocol !== "https:" || url.hostname !== "hooks.slack.com") {
      throw badRequest(
        "A Slack incoming webhook starts with https://hooks.slack.com/.",
        "invalid_url",
      );
    }
  }
  return assertPublicWebhookUrl(raw);
}
