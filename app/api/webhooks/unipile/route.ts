import { after } from "next/server";
import { getDb } from "@/db/client";
import { describeFailure } from "@/server/http/errors";
import { DEFAULT_MAX_BODY_BYTES, readBodyText } from "@/server/http/request-body";
import {
  processUnipileDelivery,
  receiveUnipileWebhook,
  WEBHOOK_SECRET_HEADER,
} from "@/server/unipile/webhooks";

// Unipile retries a delivery unless it gets a 200 within 30 seconds: the delivery is checked
// and stored, answered, and only then processed.
export async function POST(request: Request): Promise<Response> {
  const db = await getDb();
  const receipt = await receiveUnipileWebhook(
    db,
    {
      workspaceId: new URL(request.url).searchParams.get("workspace"),
      secret: request.headers.get(WEBHOOK_SECRET_HEADER),
      // Read only once the secret matched, and no more than any other route reads.
      body: () => readBodyText(request, DEFAULT_MAX_BODY_BYTES),
    },
    new Date(),
  );
  const { deliveryId } = receipt;
  if (deliveryId !== null) {
    after(async () => {
      try {
        await processUnipileDelivery(db, deliveryId, new Date());
      } catch (error) {
        // Stored and left unprocessed: the engine's upkeep picks it up again.
        console.error(
          `[outflow] Unipile delivery ${deliveryId} not processed yet: ${describeFailure(error)}`,
        );
      }
    });
  }
  return Response.json(receipt.body, { status: receipt.status });
}
