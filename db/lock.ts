import "server-only";

import { randomBytes } from "node:crypto";
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/** Who holds a PGlite data directory, as written in its lock file. */
export interface DirectoryHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  /** The kernel's boot id when the lock was taken (Linux), or null. */
  bootId: string | null;
  /**
   * The holder's start time in clock ticks since boot (/proc/<pid>/stat, Linux), or null. A
   * process that later gets the same pid cannot have the same start time in the same boot.
   */
  processStart: string | null;
  /** Random, per lock: a release only removes the lock it took. */
  token: string;
}

export class DataDirectoryInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly holder: Pick<DirectoryHolder, "pid" | "host" | "startedAt" | "command">,
  ) {
    super(
      `The embedded database directory ${directory} is already open in process ${holder.pid} ` +
        `on ${holder.host} (started ${holder.startedAt}: ${holder.command}). ` +
        "PGlite allows one process per directory and a second one would corrupt it. " +
        "Stop that process, or set OUTFLOW_DATA_DIR to another directory, " +
        "or set DATABASE_URL to use PostgreSQL. " +
        `If you are sure no process uses it any more, delete ${directory}.lock.`,
    );
    this.name = "DataDirectoryInUseError";
  }
}

export function lockPathFor(directory: string): string {
  return `${path.resolve(directory)}.lock`;
}

/** The running kernel's boot id, or null where there is none to read (not Linux). */
export function currentBootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** A process's start time in clock ticks since boot, or null (no such process, not Linux). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Field 22 (starttime); `fields` starts at field 3.
    return fields[19] ?? null;
  } catch {
    return null;
  }
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
      bootId: typeof parsed.bootId === "string" ? parsed.bootId : null,
      processStart: typeof parsed.processStart === "string" ? parsed.processStart : null,
      token: typeof parsed.token === "string" ? parsed.token : "",
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
 * Whether the lock's holder is provably gone. Only then may the lock be taken over: a live
 * holder wrongly called dead would corrupt the directory, so every doubt counts as held.
 */
export function isHolderGone(holder: DirectoryHolder): boolean {
  // Another machine sharing the directory: its processes cannot be seen from here.
  if (holder.host !== hostname()) return false;
  const bootId = currentBootId();
  // Taken before the last reboot: every process of that boot is gone.
  if (holder.bootId !== null && bootId !== null && holder.bootId !== bootId) return true;
  if (holder.processStart === null) {
    // A lock without a start time (an older version, or no /proc): the pid is all there is.
    // It cannot be this process's, which would have written one where /proc exists.
    if (holder.pid === process.pid) return processStartTime(process.pid) !== null;
    return !isProcessAlive(holder.pid);
  }
  if (!isProcessAlive(holder.pid)) return true;
  // The pid is alive: the holder only if it is the same process, started at the same tick
  // (after a crash in a container the restarted app often gets the very same pid).
  const start = processStartTime(holder.pid);
  return start !== null && start !== holder.processStart;
}

/** The live holder of a data directory's lock, or null when it is free or provably stale. */
export function dataDirectoryHolder(directory: string): DirectoryHolder | null {
  const lockPath = lockPathFor(directory);
  if (!existsSync(lockPath)) return null;
  const holder = readHolder(lockPath);
  return holder && !isHolderGone(holder) ? holder : null;
}

/**
 * Takes the exclusive lock on a PGlite data directory, or throws DataDirectoryInUseError naming
 * the holder. A lock whose holder is provably gone is taken over. Returns the release function,
 * which also runs when the process exits.
 */
export function lockDataDirectory(directory: string): () => void {
  const lockPath = lockPathFor(directory);
  mkdirSync(path.dirname(lockPath), { recursive: true });
  const me: DirectoryHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1, 3).join(" ") || "node",
    bootId: currentBootId(),
    processStart: processStartTime(process.pid),
    token: randomBytes(16).toString("hex"),
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // Written whole beside it, then linked into place: the lock never exists half-written,
      // and the link fails if another process got there first.
      const draft = `${lockPath}.${me.token}.tmp`;
      writeFileSync(draft, JSON.stringify(me));
      try {
        linkSync(draft, lockPath);
      } finally {
        unlinkSync(draft);
      }
      const release = () => {
        // Only our own lock: one taken over meanwhile belongs to its new holder.
        if (readHolder(lockPath)?.token === me.token) {
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
    if (holder && !isHolderGone(holder)) {
      throw new DataDirectoryInUseError(path.resolve(directory), holder);
    }
    // Stale (or unreadable) lock: move it aside atomically so that only one contender wins.
    const aside = `${lockPath}.stale-${process.pid}-${me.token}`;
    try {
      renameSync(lockPath, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      continue;
    }
    // Another contender may have taken the stale lock over between our read and the rename:
    // then we moved its fresh lock, which goes back unless yet another one is in place.
    const moved = readHolder(aside);
    if (holder && moved && moved.token !== holder.token) {
      try {
        linkSync(aside, lockPath);
      } catch {
        // someone else holds it now; the next attempt reads who
      }
    }
    unlinkSync(aside);
  }
  const holder = existsSync(lockPath) ? readHolder(lockPath) : null;
  throw new DataDirectoryInUseError(
    path.resolve(directory),
    holder ?? { pid: -1, host: "unknown", startedAt: "unknown", command: "unknown" },
  );
}
