import { expect } from "vitest";
import { z } from "zod";
import { WEBHOOK_PAYLOADS, type WebhookEventType } from "@/db/webhooks/events";

/**
 * Checks a delivered body, or an event's `data`, against what the OpenAPI document's `webhooks`
 * section says of its type: every field documented, of its documented type, and no field left
 * out of the document.
 */
export function expectDocumentedWebhook(type: string, data: unknown): void {
  const schema = WEBHOOK_PAYLOADS[type as WebhookEventType];
  expect(schema, `${type} has a documented payload`).toBeDefined();
  const result = z.strictObject(schema.shape).safeParse(data);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(data)"}: ${issue.message}`);
  expect(issues, `${type}'s data as documented`).toEqual([]);
}
