import "server-only";

import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
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
  return createDocument({
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
