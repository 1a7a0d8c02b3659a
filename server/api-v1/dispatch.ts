import "server-only";

import { HttpError } from "../http/errors";
import { parseInput, readJson, requireRole, withWorkspace } from "../http/guard";
import { matchOperation } from "./operations";

/** Bodies above this are refused before they are parsed (an import of 5,000 leads fits). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

const notFoundRoute = () =>
  new HttpError(404, "no_such_route", "There is no such API route: see /api/v1/openapi.json.");

/**
 * Serves every /api/v1 operation: authenticates the key and scopes the request to its workspace
 * through the same guard as the app's routes, checks the operation's role, parses the path, the
 * query and the body with the operation's schemas, and answers its result as JSON.
 */
export const dispatchApiV1 = withWorkspace<{ path?: string[] }>(
  async (request, caller, routeParams) => {
    const segments = (routeParams.path ?? []).map((segment) => decodeURIComponent(segment));
    const found = matchOperation(request.method, segments);
    if (!found) throw notFoundRoute();
    if ("allowed" in found) {
      throw new HttpError(
        405,
        "method_not_allowed",
        `This route answers ${found.allowed.join(", ")} only.`,
      );
    }
    const { operation, params } = found;
    requireRole(caller, operation.role);
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      throw new HttpError(413, "too_large", "The request body is too large.");
    }
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const input = {
      params: operation.params ? parseInput(operation.params, params) : undefined,
      query: operation.query ? parseInput(operation.query, query) : undefined,
      body: operation.body ? parseInput(operation.body, await readJson(request)) : undefined,
    };
    const result = await operation.run(caller, input as never, request);
    return Response.json(result, { status: operation.status ?? 200 });
  },
  { auth: "key" },
);
