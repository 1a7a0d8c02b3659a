/** What a subcommand gets and returns. Commands never exit the process: main does. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** Standard input, line by line (without line ends); absent where there is none. */
  readLines?(): AsyncIterable<string>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves to the process exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

export const EXIT_CODES = {
  ok: 0,
  /** The command ran and found problems (for validate: errors in the graph). */
  problems: 1,
  /** The command could not run: bad usage, unreadable input. */
  unusable: 2,
} as const;
