/** `outflow openapi`: prints the API's OpenAPI 3.1 document, generated from its zod schemas. */
import { parseArgs } from "node:util";
import { type Command, type CommandIo, EXIT_CODES } from "../command";

export const openapiCommand: Command = {
  name: "openapi",
  summary: "print the OpenAPI 3.1 document of the REST API (/api/v1)",
  usage: "openapi [--server URL]",
  async run(args: readonly string[], io: CommandIo) {
    let server: string | undefined;
    try {
      const { values } = parseArgs({
        args: [...args],
        options: { server: { type: "string" } },
        allowPositionals: false,
      });
      server = values.server;
    } catch {
      io.stderr(`Usage: outflow ${openapiCommand.usage}`);
      return EXIT_CODES.unusable;
    }
    // Loaded here: the other commands do not need the app's server code.
    const { apiV1Document } = await import("../../server/api-v1/openapi");
    io.stdout(
      JSON.stringify(
        apiV1Document(server ? `${server.replace(/\/$/, "")}/api/v1` : undefined),
        null,
        2,
      ),
    );
    return EXIT_CODES.ok;
  },
};
