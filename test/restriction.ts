import type { SandboxScript } from "@/workflows/providers/sandbox/world-settings";

/**
 * A seat LinkedIn restricts at its first call from an instant on, as a child worker's argument
 * says it (`<providerAccountId>@<ISO instant>`): the engine pauses the seat, and rotation hands
 * the leads it never reached to the campaign's other seats.
 */
export function restrictionArgument(providerAccountId: string, from: Date): string {
  return `${providerAccountId}@${from.toISOString()}`;
}

export function restrictionScript(argument: string | undefined): SandboxScript | undefined {
  if (!argument) return undefined;
  const at = argument.lastIndexOf("@");
  const account = argument.slice(0, at);
  const from = new Date(argument.slice(at + 1)).getTime();
  if (!account || Number.isNaN(from)) throw new Error(`bad restriction ${argument}`);
  return (call) =>
    "at" in call && call.account.providerAccountId === account && call.at.getTime() >= from
      ? { status: "restricted", detail: "sandbox: restricted for the test" }
      : null;
}
