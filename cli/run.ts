import { type Command, type CommandIo, EXIT_CODES } from "./command";
import { classifyRepliesCommand } from "./commands/classify-replies";
import { openapiCommand } from "./commands/openapi";
import { simulateCommand } from "./commands/simulate";
import { validateCommand } from "./commands/validate";

/** Every subcommand, one file each under commands/. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  simulateCommand,
  classifyRepliesCommand,
  openapiCommand,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.usage.length));
  const lines = COMMANDS.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`);
  return ["Usage: outflow <command> [options]", "", "Commands:", ...lines, ""].join("\n");
}

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === "help" || name === "--help" || name === "-h") {
    io.stdout(usage());
    return EXIT_CODES.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(name === undefined ? usage() : `Unknown command “${name}”.\n\n${usage()}`);
    return EXIT_CODES.unusable;
  }
  return command.run(args, io);
}
