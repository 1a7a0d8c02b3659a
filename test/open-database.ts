// Opens a PGlite directory from a separate process, for the lock tests.
// Usage: tsx test/open-database.ts <dataDir> [hold]
// Prints "opened" and exits 0 (or stays open with "hold"); exits 3 with the message when the
// directory is held by someone else.
import { openDatabase } from "@/db/client";
import { DataDirectoryInUseError } from "@/db/lock";

const [dataDir, mode] = process.argv.slice(2);
// Like the Next.js server, which renames its process: the lock must not depend on the name.
process.title = "next-server (test)";
if (!dataDir) throw new Error("usage: open-database.ts <dataDir> [hold]");
try {
  const handle = await openDatabase({ kind: "pglite", dataDir });
  console.log("opened");
  if (mode === "hold") {
    setInterval(() => {}, 1000);
  } else {
    await handle.close();
  }
} catch (error) {
  if (error instanceof DataDirectoryInUseError) {
    console.error(error.message);
    process.exit(3);
  }
  throw error;
}
