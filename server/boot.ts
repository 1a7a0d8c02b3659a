import { getDatabaseHandle } from "@/db/client";
import { DataDirectoryInUseError } from "@/db/lock";

/** Opens the process-wide database; exits the process with a clear message when it cannot. */
export async function bootServer(): Promise<void> {
  try {
    const handle = await getDatabaseHandle();
    console.log(`[outflow] database ready (${handle.kind}: ${handle.location})`);
  } catch (error) {
    if (error instanceof DataDirectoryInUseError) {
      console.error(`[outflow] ${error.message}`);
    } else {
      console.error("[outflow] could not open the database:", error);
    }
    process.exit(1);
  }
}
