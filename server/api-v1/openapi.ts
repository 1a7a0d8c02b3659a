import "server-only";

import { z } from "zod";
import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_PAYLOADS,
} from "@/db/webhooks/events";
import { apiOperations } from "./operations";
import { problemSchema } from "./schemas";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' zod schemas. */
export function apiV1Document(serverUrl = "/api/v1") {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of apiOperations) {
    paths[operation.path] = paths[operation.path] ?? {};
    const item = paths[operation.path] ?? {};
    const writes = operation.method !== "get";
    item[operation.method] = {
      operationId: operation.id,
      summary: operation.summary,
      tags: [operation.tag],
      ...(operation.params || operation.query
        ? {
            requestParams: {
              ...(operation.params ? { path: operation.params } : {}),
              ...(operation.query ? { query: operation.query } : {}),
            },
          }
        : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: operation.body } },
            },
          }
        : {}),
      responses: {
        [String(operation.status ?? 200)]: {
          description: "Done.",
          content: { "application/json": { schema: operation.output } },
        },
        ...(operation.body || operation.query || operation.params
          ? { "400": problem("The input is not valid: `fieldErrors` names each field.") }
          : {}),
        "401": problem("No API key, or a revoked one."),
        ...(writes || operation.role
          ? { "403": problem("The key can only read, or its creator lacks the role.") }
          : {}),
        ...(operation.params ? { "404": problem("Not found in the key's workspace.") } : {}),
        ...(writes ? { "409": problem("The change conflicts with the current state.") } : {}),
        "429": {
          ...problem("Too many requests for this key: wait `Retry-After` seconds."),
          headers: { "Retry-After": { schema: { type: "integer" } } },
        },
      },
    };
  }
  // The reference page lists the API's tags in the order the operations come, then the events.
  const tags = [...new Set(apiOperations.map((operation) => operation.tag)), WEBHOOK_EVENTS_TAG];
  return createDocument({
    tags: tags.map((name) => ({ name })),
    webhooks: webhookEvents(),
    openapi: "3.1.0",
    info: {
      title: "Outflow API",
      version: "1.0.0",
      description:
        "Everything the app does, for scripts and CRMs. Authenticate with a workspace API key " +
        "(Workspace settings → API keys): `Authorization: Bearer ofk_…`. Errors are RFC 9457 " +
        "problem details. Webhooks are signed per the Standard Webhooks specification.",
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "ofk_… key" } },
    },
    paths,
  });
}

const WEBHOOK_EVENTS_TAG = "Webhook events";

/** The headers of every delivery, per the Standard Webhooks specification. */
const webhookHeaders = z.object({
  "webhook-id": z.string().meta({
    description: "The event's id: the same on every retry and replay, to de-duplicate on.",
  }),
  "webhook-timestamp": z.string().meta({ description: "When it was signed, in Unix seconds." }),
  "webhook-signature": z.string().meta({
    description: "`v1,` and the HMAC-SHA256 of `id.timestamp.body` with the endpoint's secret.",
  }),
});

/**
 * What an endpoint receives for each event type (OpenAPI 3.1 `webhooks`): the Standard Webhooks
 * body `{type, timestamp, data}`, `data` as the outbox writes it (db/webhooks/events.ts).
 */
function webhookEvents(): ZodOpenApiPathsObject {
  const events: ZodOpenApiPathsObject = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    events[type] = {
      post: {
        operationId: `webhook.${type}`,
        summary: WEBHOOK_EVENT_DESCRIPTIONS[type],
        tags: [WEBHOOK_EVENTS_TAG],
        // Signed with the endpoint's secret, not sent with an API key.
        security: [],
        requestParams: { header: webhookHeaders },
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: z.object({
                type: z.literal(type),
                timestamp: z.string().meta({ format: "date-time" }),
                data: WEBHOOK_PAYLOADS[type],
              }),
            },
          },
        },
        responses: {
          "200": {
            description:
              "Any 2xx within 10 seconds: delivered. Anything else is retried with backoff for 24 hours; an endpoint failing for a day is turned off.",
          },
        },
      },
    };
  }
  return events;
}
