// Runs once when the server process starts: opens the database (applying migrations) so that
// a held data directory or a bad DATABASE_URL stops the server at boot with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("./server/runtime/boot");
  await bootServer();
}
