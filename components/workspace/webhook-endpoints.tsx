"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  disabledAt: string | null;
  disabledReason: string | null;
}

interface DeliveryRow {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastResponse: string | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
}

/** Register endpoints, see each one's delivery log, replay, turn back on, delete. */
export function WebhookEndpoints({
  endpoints,
  eventTypes,
}: {
  endpoints: WebhookEndpointRow[];
  eventTypes: Array<{ type: string; description: string }>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [log, setLog] = useState<{ endpointId: string; deliveries: DeliveryRow[] } | null>(null);
  const [secret, setSecret] = useState<{ endpointId: string; secret: string } | null>(null);

  const run = (work: () => Promise<string | null>) =>
    startTransition(async () => {
      try {
        setMessage(await work());
        setError(null);
        router.refresh();
      } catch (failure) {
        setError((failure as Error).message);
      }
    });

  const create = (form: FormData) =>
    run(async () => {
      const created = await requestJson<{ id: string; secret: string }>("/api/workspace/webhooks", {
        method: "POST",
        body: {
          url: form.get("url"),
          description: form.get("description") || undefined,
          eventTypes: form.getAll("eventTypes"),
        },
      });
      setSecret({ endpointId: created.id, secret: created.secret });
      return "Endpoint added. Verify deliveries with its signing secret.";
    });

  const showLog = (endpointId: string) =>
    run(async () => {
      const result = await requestJson<{ deliveries: DeliveryRow[] }>(
        `/api/workspace/webhooks/${endpointId}/deliveries`,
      );
      setLog({ endpointId, deliveries: result.deliveries });
      return null;
    });

  const replay = (endpointId: string, body: Record<string, string>) =>
    run(async () => {
      const result = await requestJson<{ replayed: number }>(
        `/api/workspace/webhooks/${endpointId}/replay`,
        { method: "POST", body },
      );
      return `${result.replayed} ${result.replayed === 1 ? "delivery" : "deliveries"} queued again.`;
    });

  return (
    <div className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {message ? <Alert tone="success">{message}</Alert> : null}
      <form action={create} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            id="webhook-url"
            name="url"
            type="url"
            label="URL"
            required
            placeholder="https://crm.example.com/hooks/outflow"
          />
          <Field
            id="webhook-description"
            name="description"
            label="Description (optional)"
            maxLength={500}
          />
        </div>
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-slate-700">Events</legend>
          <div className="grid gap-1 sm:grid-cols-2">
            {eventTypes.map((event) => (
              <label key={event.type} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  name="eventTypes"
                  value={event.type}
                  defaultChecked={event.type === "lead.replied"}
                />
                {event.description}
              </label>
            ))}
          </div>
        </fieldset>
        <Button type="submit" disabled={pending}>
          Add endpoint
        </Button>
      </form>
      {endpoints.length === 0 ? (
        <p className="text-sm text-slate-500">No webhook endpoints yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} className="space-y-2 px-4 py-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div>
                  <span className="font-medium break-all text-slate-900">{endpoint.url}</span>
                  {endpoint.description ? (
                    <span className="text-slate-500"> · {endpoint.description}</span>
                  ) : null}
                  <div className="text-xs text-slate-500">{endpoint.eventTypes.join(", ")}</div>
                  {endpoint.disabledAt ? (
                    <div className="text-xs text-red-700">
                      Turned off: {endpoint.disabledReason ?? "too many failures"}
                    </div>
                  ) : null}
                </div>
                <div className="flex flex-wrap gap-2">
                  <Button
                    variant="secondary"
                    className="px-2.5 py-1 text-xs"
                    disabled={pending}
                    onClick={() => showLog(endpoint.id)}
                  >
                    Deliveries
                  </Button>
                  <Button
                    variant="secondary"
                    className="px-2.5 py-1 text-xs"
                    disabled={pending}
                    onClick={() =>
                      run(async () => {
                        const result = await requestJson<{ secret: string }>(
                          `/api/workspace/webhooks/${endpoint.id}`,
                        );
                        setSecret({ endpointId: endpoint.id, secret: result.secret });
                        return null;
                      })
                    }
                  >
                    Signing secret
                  </Button>
                  <Button
                    variant="secondary"
                    className="px-2.5 py-1 text-xs"
                    disabled={pending}
                    onClick={() => {
                      const hours = window.prompt(
                        "Send again every delivery of the last how many hours?",
                        "24",
                      );
                      const count = Number(hours);
                      if (!hours || !Number.isFinite(count) || count <= 0) return;
                      replay(endpoint.id, {
                        from: new Date(Date.now() - count * 3_600_000).toISOString(),
                      });
                    }}
                  >
                    Replay…
                  </Button>
                  {endpoint.disabledAt ? (
                    <Button
                      variant="secondary"
                      className="px-2.5 py-1 text-xs"
                      disabled={pending}
                      onClick={() =>
                        run(async () => {
                          await requestJson(`/api/workspace/webhooks/${endpoint.id}/enable`, {
                            method: "POST",
                          });
                          return "Endpoint turned back on.";
                        })
                      }
                    >
                      Turn on
                    </Button>
                  ) : null}
                  <Button
                    variant="danger"
                    className="px-2.5 py-1 text-xs"
                    disabled={pending}
                    onClick={() => {
                      if (
                        !window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)
                      )
                        return;
                      run(async () => {
                        await requestJson(`/api/workspace/webhooks/${endpoint.id}`, {
                          method: "DELETE",
                        });
                        return "Endpoint deleted.";
                      });
                    }}
                  >
                    Delete
                  </Button>
                </div>
              </div>
              {secret?.endpointId === endpoint.id ? (
                <code className="block break-all rounded bg-slate-50 px-2 py-1 text-xs">
                  {secret.secret}
                </code>
              ) : null}
              {log?.endpointId === endpoint.id ? (
                log.deliveries.length === 0 ? (
                  <p className="text-xs text-slate-500">Nothing delivered yet.</p>
                ) : (
                  <table className="w-full text-left text-xs">
                    <thead className="text-slate-500">
                      <tr>
                        <th className="py-1">When</th>
                        <th>Event</th>
                        <th>Status</th>
                        <th>Tries</th>
                        <th>Answer</th>
                        <th>Time</th>
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      {log.deliveries.map((delivery) => (
                        <tr key={delivery.id} className="border-t border-slate-100">
                          <td className="py-1">{new Date(delivery.createdAt).toLocaleString()}</td>
                          <td>{delivery.eventType}</td>
                          <td>
                            {delivery.status === "pending"
                              ? `retrying ${new Date(delivery.nextAttemptAt).toLocaleTimeString()}`
                              : delivery.status}
                          </td>
                          <td>{delivery.attempts}</td>
                          <td
                            className="max-w-48 truncate"
                            title={delivery.lastResponse ?? delivery.lastError ?? ""}
                          >
                            {delivery.lastStatusCode ?? "—"}{" "}
                            {delivery.lastError ?? delivery.lastResponse ?? ""}
                          </td>
                          <td>
                            {delivery.lastLatencyMs === null ? "—" : `${delivery.lastLatencyMs} ms`}
                          </td>
                          <td>
                            <Button
                              variant="ghost"
                              className="px-2 py-0.5 text-xs"
                              disabled={pending}
                              onClick={() => replay(endpoint.id, { deliveryId: delivery.id })}
                            >
                              Send again
                            </Button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
