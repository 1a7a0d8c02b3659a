import "server-only";

import { and, asc, count, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type {
  EventFilter,
  ReceivedFilter,
  SandboxAccountState,
  SandboxEvent,
  SandboxReceived,
  SandboxStore,
} from "@/workflows/providers/sandbox/store";
import { type Database, queryRows } from "./client";
import { sandboxAccountState, sandboxEvent, sandboxReceived } from "./schema/index";

// The sandbox world's memory in the database, so it survives restarts and every process of
// the app (or of a test) shares one world. Records round-trip through JSON: dates come back
// as strings and are revived here.

function reviveReceived(json: unknown): SandboxReceived {
  const record = json as SandboxReceived & { at: string };
  return { ...record, at: new Date(record.at) };
}

function reviveEvent(json: unknown): SandboxEvent {
  const event = json as SandboxEvent & { occurredAt: string; deliveredAt: string | null };
  return {
    ...event,
    occurredAt: new Date(event.occurredAt),
    deliveredAt: event.deliveredAt ? new Date(event.deliveredAt) : null,
  };
}

function receivedConditions(filter: ReceivedFilter = {}): SQL | undefined {
  const conditions = [
    filter.providerAccountId
      ? eq(sandboxReceived.providerAccountId, filter.providerAccountId)
      : undefined,
    filter.leadPublicIdentifier
      ? eq(sandboxReceived.leadPublicIdentifier, filter.leadPublicIdentifier)
      : undefined,
    filter.kind ? eq(sandboxReceived.kind, filter.kind) : undefined,
    filter.since ? gte(sandboxReceived.at, filter.since) : undefined,
    filter.until ? lt(sandboxReceived.at, filter.until) : undefined,
  ].filter((c) => c !== undefined);
  return conditions.length > 0 ? and(...conditions) : undefined;
}

export function createDatabaseSandboxStore(db: Database): SandboxStore {
  return {
    async appendReceived(record) {
      const inserted = await db
        .insert(sandboxReceived)
        .values({
          idempotencyKey: record.idempotencyKey,
          providerAccountId: record.providerAccountId,
          leadPublicIdentifier: record.leadPublicIdentifier,
          kind: record.kind,
          at: record.at,
          record,
        })
        .onConflictDoNothing()
        .returning({ id: sandboxReceived.id });
      return inserted.length > 0;
    },
    async findReceivedByKey(idempotencyKey) {
      const [row] = await db
        .select({ record: sandboxReceived.record })
        .from(sandboxReceived)
        .where(eq(sandboxReceived.idempotencyKey, idempotencyKey));
      return row ? reviveReceived(row.record) : null;
    },
    async listReceived(filter) {
      const rows = await db
        .select({ record: sandboxReceived.record })
        .from(sandboxReceived)
        .where(receivedConditions(filter))
        .orderBy(asc(sandboxReceived.id));
      return rows.map((r) => reviveReceived(r.record));
    },
    async countReceived(filter) {
      const [row] = await db
        .select({ n: count() })
        .from(sandboxReceived)
        .where(receivedConditions(filter));
      return row?.n ?? 0;
    },
    async scheduleEvent(event) {
      const inserted = await db
        .insert(sandboxEvent)
        .values({
          externalId: event.externalId,
          type: event.type,
          providerAccountId: event.providerAccountId,
          leadPublicIdentifier: event.leadPublicIdentifier,
          chatId: event.chatId,
          occurredAt: event.occurredAt,
          deliveredAt: event.deliveredAt,
          event,
        })
        .onConflictDoNothing()
        .returning({ id: sandboxEvent.externalId });
      return inserted.length > 0;
    },
    async listEvents(filter: EventFilter = {}) {
      const conditions = [
        filter.providerAccountId
          ? eq(sandboxEvent.providerAccountId, filter.providerAccountId)
          : undefined,
        filter.leadPublicIdentifier
          ? eq(sandboxEvent.leadPublicIdentifier, filter.leadPublicIdentifier)
          : undefined,
        filter.chatId ? eq(sandboxEvent.chatId, filter.chatId) : undefined,
        filter.type ? eq(sandboxEvent.type, filter.type) : undefined,
      ].filter((c) => c !== undefined);
      const rows = await db
        .select()
        .from(sandboxEvent)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(asc(sandboxEvent.occurredAt), asc(sandboxEvent.externalId));
      return rows.map((r) => ({ ...reviveEvent(r.event), deliveredAt: r.deliveredAt }));
    },
    async takeDueEvents(now) {
      // One statement marks and returns, so two processes never hand out the same event.
      const rows = await queryRows<{
        event: unknown;
        occurred_at: string | Date;
        external_id: string;
      }>(
        db,
        sql`update sandbox_event set delivered_at = ${now.toISOString()}
             where external_id in (
               select external_id from sandbox_event
                where delivered_at is null and occurred_at <= ${now.toISOString()}
                order by occurred_at, external_id
                for update skip locked)
         returning event, occurred_at, external_id`,
      );
      return rows
        .map((r) => ({ ...reviveEvent(r.event), deliveredAt: now }))
        .sort(
          (a, b) =>
            a.occurredAt.getTime() - b.occurredAt.getTime() ||
            (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0),
        );
    },
    async getAccountState(providerAccountId) {
      const [row] = await db
        .select({ state: sandboxAccountState.state })
        .from(sandboxAccountState)
        .where(eq(sandboxAccountState.providerAccountId, providerAccountId));
      if (!row) return null;
      const state = row.state as SandboxAccountState & { restrictedAt: string | null };
      return {
        ...state,
        restrictedAt: state.restrictedAt ? new Date(state.restrictedAt) : null,
        ...(state.withdrawals
          ? { withdrawals: state.withdrawals.map((w) => ({ ...w, at: new Date(w.at) })) }
          : {}),
      };
    },
    async putAccountState(state) {
      await db
        .insert(sandboxAccountState)
        .values({ providerAccountId: state.providerAccountId, state })
        .onConflictDoUpdate({ target: sandboxAccountState.providerAccountId, set: { state } });
    },
  };
}
