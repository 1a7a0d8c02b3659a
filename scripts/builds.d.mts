// Types of builds.mjs, for the TypeScript tests that read the builds.
export interface Build {
  dir: string;
  hash: string;
  builtAt: string;
}
export const BUILDS_DIR: string;
export function sourceHash(cwd?: string, env?: Record<string, string | undefined>): string;
export function currentBuild(cwd?: string): Build | null;
export function setCurrentBuild(build: Build, cwd?: string): void;
export function newBuildDir(hash: string): string;
export interface ProcessRecord {
  pid: number;
  start: string | null;
}
export function processRecord(pid: number): ProcessRecord;
export function markInUse(
  dir: string,
  processes: ProcessRecord[],
  cwd?: string,
): { update(records: ProcessRecord[]): void; forget(): void };
export function removeUnusedBuilds(cwd?: string): string[];
