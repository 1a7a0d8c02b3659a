import { apiV1Document } from "@/server/api-v1/openapi";

/** The API's OpenAPI document: public, like any API reference. */
export function GET() {
  return Response.json(apiV1Document());
}
