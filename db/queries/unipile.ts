import "server-only";

import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import {
  accountConnection,
  action,
  creditLedger,
  creditPool,
  inboundEvent,
  lead,
  leadApiId,
  providerCredential,
  senderAccount,
} from "../schema/index";

// What the Unipile integration reads and writes: a workspace's credentials, hosted-auth
// connections, raw webhook deliveries, and the lookups that turn a delivery into an event.
// Functions that serve a signed-in caller take the workspace; the ones behind webhooks and the
// engine start from a Unipile id and return the workspace that owns it.

/** Raw webhook deliveries are kept in inbound_event under this provider, apart from events. */
export const UNIPILE_DELIVERY_PROVIDER = "unipile:webhook";

export type ProviderCredentialRow = typeof providerCredential.$inferSelect;

export async function findProviderCredential(
  db: Database,
  workspaceId: string,
): Promise<ProviderCredentialRow | null> {
  const [row] = await db
    .select()
    .from(providerCredential)
    .where(
      and(
        eq(providerCredential.workspaceId, workspaceId),
        eq(providerCredential.provider, "unipile"),
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function saveProviderCredential(
  db: Database,
  workspaceId: string,
  input: { dsn: string; apiKeyCiphertext: string; at: Date },
): Promise<void> {
  await db
    .insert(providerCredential)
    .values({
      workspaceId,
      provider: "unipile",
      dsn: input.dsn,
      apiKeyCiphertext: input.apiKeyCiphertext,
      updatedAt: input.at,
    })
    .onConflictDoUpdate({
      target: providerCredential.workspaceId,
      set: {
        provider: "unipile",
        dsn: input.dsn,
        apiKeyCiphertext: input.apiKeyCiphertext,
        updatedAt: input.at,
        problem: null,
        problemAt: null,
      },
    });
}

/**
 * Records that Unipile refused the workspace's API key (the banner reads it). True when the
 * problem is new: the caller tells the admins once.
 */
export async function markCredentialsProblem(
  db: Database,
  workspaceId: string,
  problem: string,
  at: Date,
): Promise<boolean> {
  const updated = await db
    .update(providerCredential)
    .set({ problem, problemAt: at })
    .where(and(eq(providerCredential.workspaceId, workspaceId), isNull(providerCredential.problem)))
    .returning({ workspaceId: providerCredential.workspaceId });
  return updated.length > 0;
}

export async function clearCredentialsProblem(db: Database, workspaceId: string) {
  await db
    .update(providerCredential)
    .set({ problem: null, problemAt: null })
    .where(eq(providerCredential.workspaceId, workspaceId));
}

export async function deleteProviderCredential(db: Database, workspaceId: string) {
  await db.delete(providerCredential).where(eq(providerCredential.workspaceId, workspaceId));
}

// ── Sender accounts ──────────────────────────────────────────────────────────────────────

export interface AccountRoute {
  workspaceId: string;
  provider: string;
  creditPoolId: string | null;
  linkedinPlan: string;
}

/** Which provider and workspace a sender account belongs to (both fixed for its lifetime). */
export async function findAccountRoute(
  db: Database,
  accountId: string,
): Promise<AccountRoute | null> {
  const [row] = await db
    .select({
      workspaceId: senderAccount.workspaceId,
      provider: senderAccount.provider,
      creditPoolId: senderAccount.creditPoolId,
      linkedinPlan: senderAccount.linkedinPlan,
    })
    .from(senderAccount)
    .where(eq(senderAccount.id, accountId))
    .limit(1);
  return row ?? null;
}

/** The Unipile seat with this Unipile account id, in whichever workspace holds it. */
export async function findUnipileAccount(db: Database, providerAccountId: string) {
  const [row] = await db
    .select()
    .from(senderAccount)
    .where(
      and(
        eq(senderAccount.provider, "unipile"),
        eq(senderAccount.providerAccountId, providerAccountId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The workspace's Unipile seats that need a person: reconnect, or restart on Unipile. */
export async function listUnipileAccountsNeedingReconnect(db: Database, workspaceId: string) {
  return db
    .select({
      id: senderAccount.id,
      name: senderAccount.name,
      status: senderAccount.status,
      statusReason: senderAccount.statusReason,
    })
    .from(senderAccount)
    .where(
      and(
        eq(senderAccount.workspaceId, workspaceId),
        eq(senderAccount.provider, "unipile"),
        inArray(senderAccount.status, ["needs_reconnect", "stopped"]),
      ),
    )
    .orderBy(asc(senderAccount.name));
}

/**
 * Moves a seat to `to` when it is currently one of `from`: a status from Unipile never undoes a
 * person's pause or the engine's restriction. True when it moved.
 */
export async function moveAccountStatus(
  db: Database,
  accountId: string,
  change: { from: string[]; to: string; reason: string | null },
): Promise<boolean> {
  const updated = await db
    .update(senderAccount)
    .set({ status: change.to, statusReason: change.reason, coolingUntil: null })
    .where(and(eq(senderAccount.id, accountId), inArray(senderAccount.status, change.from)))
    .returning({ id: senderAccount.id });
  return updated.length > 0;
}

// ── Hosted-auth connections ──────────────────────────────────────────────────────────────

export type AccountConnectionRow = typeof accountConnection.$inferSelect;

export async function insertAccountConnection(
  db: Database,
  row: {
    id: string;
    workspaceId: string;
    name: string;
    accountId: string | null;
    providerAccountId: string | null;
    createdAt: Date;
  },
) {
  await db.insert(accountConnection).values(row);
}

/** A connection by its id (the callback's only clue; the row names the workspace). */
export async function findAccountConnection(
  db: Database,
  id: string,
): Promise<AccountConnectionRow | null> {
  const [row] = await db
    .select()
    .from(accountConnection)
    .where(eq(accountConnection.id, id))
    .limit(1);
  return row ?? null;
}

export async function completeAccountConnection(
  db: Database,
  id: string,
  input: { providerAccountId: string; accountId: string; at: Date },
) {
  await db
    .update(accountConnection)
    .set({
      providerAccountId: input.providerAccountId,
      accountId: input.accountId,
      completedAt: input.at,
    })
    .where(and(eq(accountConnection.id, id), isNull(accountConnection.completedAt)));
}

// ── Leads' ids in other LinkedIn products ───────────────────────────────────────────────

export async function findLeadApiId(
  db: Database,
  accountId: string,
  leadId: string,
  api: string,
): Promise<string | null> {
  const [row] = await db
    .select({ providerId: leadApiId.providerId })
    .from(leadApiId)
    .where(
      and(eq(leadApiId.accountId, accountId), eq(leadApiId.leadId, leadId), eq(leadApiId.api, api)),
    )
    .limit(1);
  return row?.providerId ?? null;
}

/** Keeps the id a seat's lookup returned; the seat's workspace is the lead's. */
export async function saveLeadApiId(
  db: Database,
  input: { accountId: string; leadId: string; api: string; providerId: string; at: Date },
) {
  await db.execute(
    sql`insert into lead_api_id (workspace_id, account_id, lead_id, api, provider_id, created_at)
        select a.workspace_id, a.id, l.id, ${input.api}, ${input.providerId}, ${input.at.toISOString()}
          from sender_account a join lead l on l.id = ${input.leadId} and l.workspace_id = a.workspace_id
         where a.id = ${input.accountId}
        on conflict (account_id, lead_id, api) do update set provider_id = excluded.provider_id`,
  );
}

// ── Chats and leads ──────────────────────────────────────────────────────────────────────

/** The chat of the latest message this seat sent the lead, if any. */
export async function latestMessageChatId(
  db: Database,
  accountId: string,
  leadId: string,
): Promise<string | null> {
  const [row] = await db
    .select({ chatId: action.chatId })
    .from(action)
    .where(
      and(
        eq(action.accountId, accountId),
        eq(action.leadId, leadId),
        eq(action.kind, "message"),
        eq(action.status, "sent"),
        isNotNull(action.chatId),
      ),
    )
    .orderBy(desc(action.createdAt))
    .limit(1);
  return row?.chatId ?? null;
}

export interface ContactedLead {
  id: string;
  providerId: string | null;
  publicIdentifier: string;
}

/** The lead this seat wrote to in this chat (a message or an InMail that went out). */
export async function findLeadByChat(
  db: Database,
  accountId: string,
  chatId: string,
): Promise<ContactedLead | null> {
  const [row] = await db
    .select({ id: lead.id, providerId: lead.providerId, publicIdentifier: lead.publicIdentifier })
    .from(action)
    .innerJoin(lead, eq(lead.id, action.leadId))
    .where(and(eq(action.accountId, accountId), eq(action.chatId, chatId)))
    .limit(1);
  return row ?? null;
}

/** The lead with this member id whom this seat has contacted, in the seat's workspace. */
export async function findContactedLeadByProviderId(
  db: Database,
  workspaceId: string,
  accountId: string,
  providerId: string,
): Promise<ContactedLead | null> {
  const [row] = await db
    .select({ id: lead.id, providerId: lead.providerId, publicIdentifier: lead.publicIdentifier })
    .from(lead)
    .where(
      and(
        eq(lead.workspaceId, workspaceId),
        eq(lead.providerId, providerId),
        sql`exists (select 1 from ${action} a where a.lead_id = ${lead.id}
                     and a.account_id = ${accountId} and a.status = 'sent')`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** When this seat first reached the lead: older messages are history, not replies. */
export async function firstContactAt(
  db: Database,
  accountId: string,
  leadId: string,
): Promise<Date | null> {
  const [row] = await queryRows<{ at: string | Date | null }>(
    db,
    sql`select min(created_at) as at from action
         where account_id = ${accountId} and lead_id = ${leadId} and status = 'sent'`,
  );
  return row?.at ? new Date(row.at) : null;
}

// ── Webhook deliveries ───────────────────────────────────────────────────────────────────

/** Stores a delivery once; null when the same delivery was stored before. */
export async function storeWebhookDelivery(
  db: Database,
  input: {
    workspaceId: string;
    key: string;
    providerAccountId: string;
    occurredAt: Date;
    receivedAt: Date;
    payload: unknown;
  },
): Promise<number | null> {
  const inserted = await db
    .insert(inboundEvent)
    .values({
      workspaceId: input.workspaceId,
      provider: UNIPILE_DELIVERY_PROVIDER,
      externalId: input.key,
      type: "webhook",
      providerAccountId: input.providerAccountId,
      occurredAt: input.occurredAt,
      receivedAt: input.receivedAt,
      payload: input.payload,
    })
    .onConflictDoNothing()
    .returning({ id: inboundEvent.id });
  return inserted[0]?.id ?? null;
}

export async function findWebhookDelivery(db: Database, id: number) {
  const [row] = await db
    .select()
    .from(inboundEvent)
    .where(and(eq(inboundEvent.id, id), eq(inboundEvent.provider, UNIPILE_DELIVERY_PROVIDER)))
    .limit(1);
  return row ?? null;
}

export async function markWebhookDeliveryProcessed(db: Database, id: number, at: Date) {
  await db
    .update(inboundEvent)
    .set({ processedAt: at })
    .where(and(eq(inboundEvent.id, id), isNull(inboundEvent.processedAt)));
}

/** Deliveries stored before `receivedBefore` and never processed (a crash in between). */
export async function unprocessedWebhookDeliveries(
  db: Database,
  receivedBefore: Date,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ id: inboundEvent.id })
    .from(inboundEvent)
    .where(
      and(
        eq(inboundEvent.provider, UNIPILE_DELIVERY_PROVIDER),
        isNull(inboundEvent.processedAt),
        lt(inboundEvent.receivedAt, receivedBefore),
      ),
    )
    .orderBy(asc(inboundEvent.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

// ── Acceptance polling ───────────────────────────────────────────────────────────────────

export interface PendingInvitation {
  accountId: string;
  workspaceId: string;
  providerAccountId: string;
  leadId: string;
  providerId: string | null;
  publicIdentifier: string;
  invitedAt: Date;
}

/**
 * Invitations Unipile seats sent since `since` whose acceptance Outflow has not heard of: the
 * leads the relations poll looks for, seats at work only.
 */
export async function pendingUnipileInvitations(
  db: Database,
  since: Date,
): Promise<PendingInvitation[]> {
  const rows = await queryRows<{
    account_id: string;
    workspace_id: string;
    provider_account_id: string;
    lead_id: string;
    provider_id: string | null;
    public_identifier: string;
    invited_at: string | Date;
  }>(
    db,
    sql`select a.id as account_id, a.workspace_id, a.provider_account_id, l.id as lead_id,
               l.provider_id, l.public_identifier, min(x.created_at) as invited_at
          from action x
          join sender_account a on a.id = x.account_id
          join lead l on l.id = x.lead_id
         where a.provider = 'unipile'
           and a.status in ('active', 'cooling_down')
           and x.kind = 'connect' and x.status = 'sent'
           and x.created_at >= ${since.toISOString()}
           and not exists (select 1 from inbound_event e
                            where e.account_id = a.id and e.lead_id = l.id and e.type = 'accepted')
         group by a.id, a.workspace_id, a.provider_account_id, l.id, l.provider_id, l.public_identifier`,
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    workspaceId: r.workspace_id,
    providerAccountId: r.provider_account_id,
    leadId: r.lead_id,
    providerId: r.provider_id,
    publicIdentifier: r.public_identifier,
    invitedAt: new Date(r.invited_at),
  }));
}

// ── InMail credit sync ───────────────────────────────────────────────────────────────────

export async function findCreditPool(db: Database, poolId: string) {
  const [row] = await db.select().from(creditPool).where(eq(creditPool.id, poolId)).limit(1);
  return row ?? null;
}

/** The Unipile seats drawing on a pool, whatever their status. */
export async function unipileSeatsOfPool(db: Database, poolId: string) {
  return db
    .select({
      id: senderAccount.id,
      providerAccountId: senderAccount.providerAccountId,
      linkedinPlan: senderAccount.linkedinPlan,
    })
    .from(senderAccount)
    .where(and(eq(senderAccount.creditPoolId, poolId), eq(senderAccount.provider, "unipile")));
}

/** Seats of the pool that are not Unipile seats (their credits cannot be read from LinkedIn). */
export async function otherSeatsOfPool(db: Database, poolId: string): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from sender_account
         where credit_pool_id = ${poolId} and provider <> 'unipile'`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Sets the pool's balance to what LinkedIn reports, minus the credits of sends still under
 * way (their reservation already left the pool, LinkedIn has not counted them yet), with one
 * `adjustment` ledger entry in the same transaction. Never below zero. Returns the move made.
 */
export async function syncPoolBalance(
  db: Database,
  input: { poolId: string; linkedinBalance: number; at: Date; note: string },
): Promise<{ before: number; after: number } | null> {
  return db.transaction(async (tx) => {
    const [pool] = await queryRows<{ balance: number; workspace_id: string }>(
      tx,
      sql`select balance, workspace_id from credit_pool where id = ${input.poolId} for update`,
    );
    if (!pool) return null;
    const [inFlight] = await queryRows<{ credits: number | string | null }>(
      tx,
      sql`select coalesce(sum(x.credits), 0) as credits from action x
            join sender_account a on a.id = x.account_id
           where a.credit_pool_id = ${input.poolId} and x.status = 'intent'`,
    );
    const target = Math.max(0, input.linkedinBalance - Number(inFlight?.credits ?? 0));
    const before = Number(pool.balance);
    const delta = target - before;
    if (delta === 0) return { before, after: before };
    await tx.update(creditPool).set({ balance: target }).where(eq(creditPool.id, input.poolId));
    await tx.insert(creditLedger).values({
      workspaceId: pool.workspace_id,
      poolId: input.poolId,
      at: input.at,
      type: "adjustment",
      amount: delta,
      note: input.note,
    });
    return { before, after: target };
  });
}

/** Pools that at least one Unipile seat draws on: the ones LinkedIn's counters can correct. */
export async function poolsWithUnipileSeats(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ poolId: senderAccount.creditPoolId })
    .from(senderAccount)
    .where(and(eq(senderAccount.provider, "unipile"), isNotNull(senderAccount.creditPoolId)));
  return rows.map((r) => r.poolId).filter((id): id is string => id !== null);
}
