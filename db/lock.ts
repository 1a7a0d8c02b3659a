import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/** Who holds a PGlite data directory, as written in its lock file. */
export interface DirectoryHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export class DataDirectoryInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly holder: DirectoryHolder,
  ) {
    super(
      `The embedded database directory ${directory} is already open in process ${holder.pid} ` +
        `on ${holder.host} (started ${holder.startedAt}: ${holder.command}). ` +
        "PGlite allows one process per directory and a second one would corrupt it. " +
        "Stop that process, or set OUTFLOW_DATA_DIR to another directory, " +
        "or set DATABASE_URL to use PostgreSQL.",
    );
    this.name = "DataDirectoryInUseError";
  }
}

function lockPathFor(directory: string): string {
  return `${path.resolve(directory)}.lock`;
}

function readHolder(lockPath: string): DirectoryHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, "utf8")) as Partial<DirectoryHolder>;
    if (typeof parsed.pid !== "number" || typeof parsed.host !== "string") return null;
    return {
      pid: parsed.pid,
      host: parsed.host,
      startedAt: String(parsed.startedAt ?? "unknown"),
      command: String(parsed.command ?? "unknown"),
    };
  } catch {
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // Alive. Its command line is no clue (the Next.js server renames itself "next-server"), and
  // wrongly calling a live holder dead would corrupt the directory: a live pid holds it.
  return true;
}

/**
 * Takes the exclusive lock on a PGlite data directory, or throws DataDirectoryInUseError naming
 * the holder. A lock left by a dead process is taken over. Returns the release function, which
 * also runs when the process exits.
 */
export function lockDataDirectory(directory: string): () => void {
  const lockPath = lockPathFor(directory);
  mkdirSync(path.dirname(lockPath), { recursive: true });
  const me: DirectoryHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1, 3).join(" ") || "node",
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      const release = () => {
        const holder = readHolder(lockPath);
        if (holder?.pid === process.pid && holder.host === me.host) {
          try {
            unlinkSync(lockPath);
          } catch {
            // already gone
          }
        }
        process.removeListener("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }

    const holder = readHolder(lockPath);
    if (holder) {
      const sameHost = holder.host === me.host;
      if (!sameHost || holder.pid === process.pid || isProcessAlive(holder.pid)) {
        throw new DataDirectoryInUseError(path.resolve(directory), holder);
      }
    }
    // Stale (or unreadable) lock: move it aside atomically so that only one contender wins.
    const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
    try {
      renameSync(lockPath, aside);
      unlinkSync(aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  const holder = existsSync(lockPath) ? readHolder(lockPath) : null;
  throw new DataDirectoryInUseError(
    path.resolve(directory),
    holder ?? { pid: -1, host: "unknown", startedAt: "unknown", command: "unknown" },
  );
}
