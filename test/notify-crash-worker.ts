// A worker that dies with SIGKILL right after a reply's notification commits, for the
// notification crash test. `commit`: dies before any delivery is claimed; `claim`: claims the
// deliveries (taking their lease) and dies before sending them; `sent`: claims them, sends them
// (the Slack call marked first, as the workers do) and dies before recording the outcomes.
// Usage: node --import tsx test/notify-crash-worker.ts <databaseUrl> <providerAccountId> <externalId> <commit|claim|sent>
import { openDatabase } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { claimNotificationDeliveries, markSlackCallStarted } from "@/db/notifications/delivery";
import { sendNotification } from "@/server/notifications/deliver";

const [url, providerAccountId, externalId, mode] = process.argv.slice(2);
if (!url || !providerAccountId || !externalId || !mode) throw new Error("bad arguments");

const handle = await openDatabase({ kind: "postgres", url, poolSize: 1 });
const now = new Date();
await ingestEvent(
  handle.db,
  "sandbox",
  {
    externalId,
    type: "replied",
    providerAccountId,
    leadPublicIdentifier: "grace-hopper",
    chatId: "chat-crash",
    occurredAt: now,
    text: "Yes, I am interested — let's talk",
  },
  now,
);
if (mode === "claim" || mode === "sent") {
  // A second on: the deliveries are due from the database's clock at the commit.
  const claimed = await claimNotificationDeliveries(handle.db, {
    owner: "doomed-worker",
    now: new Date(Date.now() + 1_000),
    limit: 10,
  });
  if (claimed.length === 0) throw new Error("nothing to claim");
  if (mode === "sent") {
    for (const delivery of claimed) {
      if (delivery.channel === "slack") {
        await markSlackCallStarted(handle.db, delivery, {
          owner: "doomed-worker",
          now: new Date(),
        });
      }
      const outcome = await sendNotification(delivery);
      if (!outcome.ok) throw new Error(`not sent: ${outcome.error}`);
    }
  }
}
process.kill(process.pid, "SIGKILL");
