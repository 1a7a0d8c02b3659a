/**
 * A local stand-in for Unipile, speaking the paths the adapter calls (workflows/providers/unipile) over real HTTP so
 * the real SDK and adapter talk to it. It keeps its own record of every send it received (what
 * LinkedIn would have seen), schedules acceptances and replies as webhook payloads, and can be
 * scripted to fail: 429, timeouts, a 5xx after the send went through, and the 4xx/403 refusals
 * the engine must route.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Distance = "FIRST_DEGREE" | "SECOND_DEGREE" | "THIRD_DEGREE" | "OUT_OF_NETWORK";

export interface FakePerson {
  publicIdentifier: string;
  /** Classic LinkedIn member id (`ACo…`). */
  providerId: string;
  /** The same member in Sales Navigator (`ACw…`) and in Recruiter (`AE…`). */
  salesNavigatorId: string;
  recruiterId: string;
  firstName: string;
  lastName: string;
  networkDistance: Distance;
  isPremium: boolean;
  isOpenProfile: boolean;
  /** Answers `not_allowed_inmail` to an InMail. */
  refusesInmail: boolean;
  /** Answers `invalid_recipient` to every send. */
  unreachable: boolean;
  /** Accepts an invitation this long after it arrives (never when absent). */
  acceptsAfterMs?: number;
  /** No new_relation webhook for the acceptance: only the relations list shows it. */
  acceptanceWebhookLost?: boolean;
  /** Answers the first message or InMail it gets this long after it arrives. */
  repliesAfterMs?: number;
  /** How long ago each of their own posts went out, newest first; none when absent. */
  postedAgoMs?: number[];
}

export type SendKind = "visit" | "follow" | "invite" | "message" | "inmail" | "like";

/** One send as LinkedIn received it. */
export interface FakeSend {
  kind: SendKind;
  accountId: string;
  providerId: string;
  publicIdentifier: string;
  at: Date;
  /** Visits: the profile read carried notify=true. */
  notify?: boolean;
  note?: string | null;
  text?: string;
  subject?: string | null;
  /** Chats: the `linkedin[inmail]` and `linkedin[api]` fields as sent, and the attendee id. */
  inmail?: boolean;
  api?: string | null;
  attendeeId?: string;
  chatId?: string;
  messageId?: string;
  invitationId?: string;
  /** Likes: the post reacted to and the reaction. */
  postId?: string;
  reaction?: string;
}

export type CallKind =
  | "profile"
  | "visit"
  | "follow"
  | "invite"
  | "start_chat"
  | "inmail"
  | "send_message"
  | "list_invitations"
  | "list_relations"
  | "list_chats"
  | "list_account_chats"
  | "list_messages"
  | "inmail_balance"
  | "accounts"
  | "account"
  | "hosted_link"
  | "create_webhook"
  | "list_webhooks"
  | "delete_webhook"
  | "cancel_invitation"
  | "list_posts"
  | "react";

export type ScriptedFailure =
  | "429"
  | "timeout"
  | "timeout_after_send"
  | "5xx"
  | "5xx_after_send"
  | "insufficient_credits"
  | "not_allowed_inmail"
  | "account_restricted"
  | "already_invited_recently"
  | "cannot_resend_yet"
  | "malformed_request"
  | "feature_not_subscribed"
  | "missing_credentials"
  | "linkedin_refusal_in_2xx";

export interface FailureRule {
  call: CallKind;
  failure: ScriptedFailure;
  /** Only calls of this seat. */
  accountId?: string;
  /** Only calls about this person (public identifier). */
  lead?: string;
  /** How many matching calls fail; 1 when absent. */
  times?: number;
}

interface Invitation {
  id: string;
  accountId: string;
  providerId: string;
  publicIdentifier: string;
  at: Date;
  note: string | null;
}

interface Relation {
  accountId: string;
  providerId: string;
  publicIdentifier: string;
  at: Date;
}

interface ChatMessage {
  id: string;
  text: string;
  senderProviderId: string;
  isSender: boolean;
  at: Date;
}

interface Chat {
  id: string;
  accountId: string;
  attendeeProviderId: string;
  inmail: boolean;
  messages: ChatMessage[];
}

export type FakeApi = "classic" | "sales_navigator" | "recruiter";

interface SeatState {
  /** The seat's own LinkedIn member id: the sender of its own messages. */
  ownProviderId: string;
  /** The classic (Premium) InMail counter. */
  inmailBalance: number;
  /** The Sales Navigator and Recruiter counters; null when the seat has no such product. */
  salesNavigatorBalance: number | null;
  recruiterBalance: number | null;
  restricted: boolean;
  name: string;
}

interface Scheduled {
  at: Date;
  apply: () => Record<string, unknown> | null;
}

interface CallContext {
  call: CallKind;
  accountId: string | null;
  person: FakePerson | null;
}

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

const error = (status: number, type: string, title: string) =>
  new Answer(status, { status, type: `errors/${type}`, title });

function hex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 20);
}

export interface FakeUnipileOptions {
  apiKey?: string;
  /** The fake's notion of now; tests on a virtual clock pass it in. */
  now?: () => Date;
}

export class FakeUnipile {
  readonly apiKey: string;
  now: () => Date;
  /** Every send LinkedIn received, in order. */
  readonly sends: FakeSend[] = [];
  /** Every request as it arrived (method, path, query), for wire-level checks. */
  readonly requests: Array<{ method: string; path: string; query: URLSearchParams; at: Date }> = [];
  readonly hostedLinks: Array<Record<string, unknown>> = [];
  readonly webhooksCreated: Array<Record<string, unknown>> = [];
  readonly #people = new Map<string, FakePerson>();
  readonly #webhooks = new Map<string, Record<string, unknown>>();
  readonly #seats = new Map<string, SeatState>();
  readonly #invitations: Invitation[] = [];
  readonly #relations: Relation[] = [];
  readonly #chats = new Map<string, Chat>();
  readonly #rules: Array<FailureRule & { left: number }> = [];
  readonly #scheduled: Scheduled[] = [];
  readonly #hanging = new Set<ServerResponse>();
  #server: Server | null = null;
  #counter = 0;
  baseUrl = "";

  constructor(options: FakeUnipileOptions = {}) {
    this.apiKey = options.apiKey ?? "fake-unipile-key";
    this.now = options.now ?? (() => new Date());
  }

  // ── Set-up ─────────────────────────────────────────────────────────────────────────────

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      void this.#handle(req, res);
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#server = null;
  }

  seat(accountId: string, input: Partial<Omit<SeatState, "ownProviderId">> = {}): SeatState {
    const existing = this.#seats.get(accountId);
    const seat: SeatState = {
      ownProviderId: existing?.ownProviderId ?? `ACoSEAT${hex("seat", accountId)}`,
      inmailBalance: input.inmailBalance ?? existing?.inmailBalance ?? 10,
      salesNavigatorBalance:
        input.salesNavigatorBalance !== undefined
          ? input.salesNavigatorBalance
          : (existing?.salesNavigatorBalance ?? null),
      recruiterBalance:
        input.recruiterBalance !== undefined
          ? input.recruiterBalance
          : (existing?.recruiterBalance ?? null),
      restricted: input.restricted ?? existing?.restricted ?? false,
      name: input.name ?? existing?.name ?? accountId,
    };
    this.#seats.set(accountId, seat);
    return seat;
  }

  person(publicIdentifier: string, traits: Partial<Omit<FakePerson, "publicIdentifier">> = {}) {
    const existing = this.#people.get(publicIdentifier);
    const person: FakePerson = {
      publicIdentifier,
      providerId: `ACoAA${hex("member", publicIdentifier)}`,
      salesNavigatorId: `ACwAA${hex("member", publicIdentifier)}`,
      recruiterId: `AEMAA${hex("member", publicIdentifier)}`,
      firstName: publicIdentifier.split("-")[0] ?? publicIdentifier,
      lastName: "Example",
      networkDistance: "SECOND_DEGREE",
      isPremium: false,
      isOpenProfile: false,
      refusesInmail: false,
      unreachable: false,
      ...existing,
      ...traits,
    };
    this.#people.set(publicIdentifier, person);
    return person;
  }

  fail(rule: FailureRule): void {
    this.#rules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Scripted failures of this seat stop (the cause was fixed). */
  clearFailures(accountId: string): void {
    for (const rule of this.#rules) if (rule.accountId === accountId) rule.left = 0;
  }

  /** Every later call of the seat answers 403 account_restricted. */
  restrict(accountId: string): void {
    this.seat(accountId, { restricted: true });
  }

  // ── What happened ──────────────────────────────────────────────────────────────────────

  inmailBalance(accountId: string, api: FakeApi = "classic"): number | null {
    const seat = this.seat(accountId);
    if (api === "sales_navigator") return seat.salesNavigatorBalance;
    if (api === "recruiter") return seat.recruiterBalance;
    return seat.inmailBalance;
  }

  /** Webhooks as Unipile holds them now (created and not deleted). */
  webhooks(): Array<Record<string, unknown>> {
    return [...this.#webhooks.values()];
  }

  /** Requests the fake refused as not matching the SDK's input types, with the reason. */
  readonly refused: Array<{ method: string; path: string; reason: string }> = [];

  /** The relations list answers in a shuffled order, this many per page. */
  relationsOrder: { shuffle: boolean; pageSize: number | null } = {
    shuffle: false,
    pageSize: null,
  };

  ownProviderId(accountId: string): string {
    return this.seat(accountId).ownProviderId;
  }

  chatWith(accountId: string, publicIdentifier: string): string | null {
    const person = this.person(publicIdentifier);
    for (const chat of this.#chats.values()) {
      if (chat.accountId === accountId && chat.attendeeProviderId === person.providerId) {
        return chat.id;
      }
    }
    return null;
  }

  /** Scheduled acceptances and replies due by `now`, applied, with their webhook payloads. */
  dueWebhooks(now: Date): Array<Record<string, unknown>> {
    const due = this.#scheduled
      .filter((s) => s.at.getTime() <= now.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const payloads: Array<Record<string, unknown>> = [];
    for (const item of due) {
      this.#scheduled.splice(this.#scheduled.indexOf(item), 1);
      const payload = item.apply();
      if (payload) payloads.push(payload);
    }
    return payloads;
  }

  nextScheduledAt(): Date | null {
    let next: Date | null = null;
    for (const s of this.#scheduled) if (!next || s.at < next) next = s.at;
    return next;
  }

  /** The lead accepts the seat's pending invitation now; returns the new_relation payload. */
  accept(accountId: string, publicIdentifier: string, at = this.now()): Record<string, unknown> {
    const person = this.person(publicIdentifier);
    const index = this.#invitations.findIndex(
      (i) => i.accountId === accountId && i.providerId === person.providerId,
    );
    if (index >= 0) this.#invitations.splice(index, 1);
    this.#relations.push({
      accountId,
      providerId: person.providerId,
      publicIdentifier,
      at,
    });
    return relationWebhook(accountId, person);
  }

  /** The lead writes in their chat with the seat; returns the message_received payload. */
  reply(accountId: string, publicIdentifier: string, text: string, at = this.now()) {
    const person = this.person(publicIdentifier);
    const chat = this.#chatFor(accountId, person, false);
    const message: ChatMessage = {
      id: this.#id("msg"),
      text,
      senderProviderId: person.providerId,
      isSender: false,
      at,
    };
    chat.messages.push(message);
    return messageWebhook(accountId, chat, message, person);
  }

  /** The seat writes to the person on LinkedIn itself (not through the API); its message id. */
  write(accountId: string, publicIdentifier: string, text: string, at = this.now()): string {
    const person = this.person(publicIdentifier);
    const chat = this.#chatFor(accountId, person, false);
    const message: ChatMessage = {
      id: this.#id("msg"),
      text,
      senderProviderId: this.seat(accountId).ownProviderId,
      isSender: true,
      at,
    };
    chat.messages.push(message);
    return message.id;
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────────────────

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    this.requests.push({ method, path: url.pathname, query: url.searchParams, at: this.now() });

    if (req.headers["x-api-key"] !== this.apiKey) {
      return send(res, error(401, "missing_credentials", "Missing or wrong API key"));
    }
    const route = url.pathname.replace(/^\/api\/v1/, "");
    let body: Record<string, unknown> = {};
    const contentType = req.headers["content-type"] ?? "";
    if (raw.length > 0 && contentType.includes("application/json")) {
      body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } else if (raw.length > 0 && contentType.includes("multipart/form-data")) {
      const form = await new Request("http://fake/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: raw,
      }).formData();
      for (const [key, value] of form.entries()) {
        const previous = body[key];
        const text = typeof value === "string" ? value : "";
        if (previous === undefined) body[key] = text;
        else body[key] = [...(Array.isArray(previous) ? previous : [previous]), text];
      }
    }

    const mismatch = validateRequest(method, route, url.searchParams, body, contentType);
    if (mismatch) {
      this.refused.push({ method, path: route, reason: mismatch });
      return send(res, error(400, "invalid_parameters", mismatch));
    }
    const handler = this.#route(method, route, url.searchParams, body);
    if (!handler) return send(res, error(404, "resource_not_found", `No route ${method} ${route}`));
    const { context, run } = handler;
    const seat = context.accountId ? this.#seats.get(context.accountId) : undefined;
    if (seat?.restricted) {
      return send(res, error(403, "account_restricted", "Account restricted"));
    }
    const rule = this.#takeRule(context);
    if (rule) {
      switch (rule.failure) {
        case "timeout":
          this.#hanging.add(res);
          return;
        case "timeout_after_send":
          run();
          this.#hanging.add(res);
          return;
        case "5xx_after_send":
          run();
          return send(res, error(500, "unexpected_error", "Something went wrong"));
        case "5xx":
          return send(res, error(503, "network_down", "Network down"));
        case "429":
          return send(res, error(429, "too_many_requests", "Too many requests"));
        case "insufficient_credits":
          return send(res, error(422, "insufficient_credits", "Not enough InMail credits"));
        case "not_allowed_inmail":
          return send(res, error(422, "not_allowed_inmail", "Recipient does not accept InMail"));
        case "already_invited_recently":
          return send(res, error(422, "already_invited_recently", "Already invited recently"));
        case "account_restricted":
          if (context.accountId) this.restrict(context.accountId);
          return send(res, error(403, "account_restricted", "Account restricted"));
        case "cannot_resend_yet":
          return send(res, error(422, "cannot_resend_yet", "Cannot resend yet"));
        case "malformed_request":
          return send(res, error(400, "malformed_request", "Malformed request"));
        case "feature_not_subscribed":
          return send(res, error(403, "feature_not_subscribed", "Feature not subscribed"));
        case "missing_credentials":
          return send(res, error(401, "missing_credentials", "Missing credentials"));
        case "linkedin_refusal_in_2xx":
          return send(
            res,
            new Answer(200, {
              object: "LinkedinRawData",
              data: { status: 403, message: "This action is not allowed" },
            }),
          );
      }
    }
    return send(res, run());
  }

  #takeRule(context: CallContext) {
    const rule = this.#rules.find(
      (r) =>
        r.left > 0 &&
        r.call === context.call &&
        (r.accountId === undefined || r.accountId === context.accountId) &&
        (r.lead === undefined || r.lead === context.person?.publicIdentifier),
    );
    if (rule) rule.left -= 1;
    return rule;
  }

  #route(
    method: string,
    route: string,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): { context: CallContext; run: () => Answer } | null {
    const segments = route.split("/").filter(Boolean).map(decodeURIComponent);
    const [first, second, third] = segments;
    const accountOf = (value: unknown) => (typeof value === "string" ? value : null);

    if (method === "GET" && first === "users" && second === "invite" && third === "sent") {
      const accountId = query.get("account_id");
      return {
        context: { call: "list_invitations", accountId, person: null },
        run: () => this.#listInvitations(accountId ?? ""),
      };
    }
    if (method === "DELETE" && first === "users" && second === "invite" && third === "sent") {
      const accountId = query.get("account_id");
      const invitationId = segments[3] ?? "";
      const invitation = this.#invitations.find((i) => i.id === invitationId) ?? null;
      const person = invitation ? this.#personByProviderId(invitation.providerId) : null;
      return {
        context: { call: "cancel_invitation", accountId, person },
        run: () => this.#cancelInvitation(accountId ?? "", invitationId),
      };
    }
    if (method === "POST" && first === "users" && second === "invite" && !third) {
      const accountId = accountOf(body.account_id);
      const person = this.#personByProviderId(String(body.provider_id ?? ""));
      return {
        context: { call: "invite", accountId, person },
        run: () => this.#invite(accountId ?? "", person, body),
      };
    }
    if (method === "GET" && first === "users" && second === "relations") {
      const accountId = query.get("account_id");
      return {
        context: { call: "list_relations", accountId, person: null },
        run: () => this.#listRelations(accountId ?? "", query.get("cursor")),
      };
    }
    if (method === "GET" && first === "users" && second && third === "posts") {
      const accountId = query.get("account_id");
      const person = this.#personByIdentifier(second);
      return {
        context: { call: "list_posts", accountId, person },
        run: () => this.#listPosts(person),
      };
    }
    if (method === "POST" && first === "posts" && second === "reaction") {
      const accountId = accountOf(body.account_id);
      const postId = String(body.post_id ?? "");
      const person =
        [...this.#people.values()].find((p) =>
          (p.postedAgoMs ?? []).some((_, i) => this.#postId(p, i) === postId),
        ) ?? null;
      return {
        context: { call: "react", accountId, person },
        run: () => this.#react(accountId ?? "", person, postId, String(body.reaction_type ?? "")),
      };
    }
    if (method === "GET" && first === "users" && second && !third) {
      const accountId = query.get("account_id");
      const person = this.#personByIdentifier(second);
      const notify = query.get("notify") === "true";
      const api = (query.get("linkedin_api") ?? "classic") as FakeApi;
      return {
        context: { call: notify ? "visit" : "profile", accountId, person },
        run: () => this.#profile(accountId ?? "", person, notify, api),
      };
    }
    if (method === "POST" && first === "chats" && !second) {
      const accountId = accountOf(body.account_id);
      const attendees = ([] as unknown[]).concat(body.attendees_ids ?? []);
      const person = this.#personByAnyId(String(attendees[0] ?? ""));
      const inmail = body["linkedin[inmail]"] === "true";
      return {
        context: { call: inmail ? "inmail" : "start_chat", accountId, person },
        run: () => this.#startChat(accountId ?? "", person, body),
      };
    }
    if (method === "GET" && first === "chats" && !second) {
      const accountId = query.get("account_id");
      return {
        context: { call: "list_account_chats", accountId, person: null },
        run: () => this.#listAccountChats(accountId ?? "", query),
      };
    }
    if (first === "chats" && second && third === "messages") {
      const chat = this.#chats.get(second) ?? null;
      const person = chat ? this.#personByProviderId(chat.attendeeProviderId) : null;
      if (method === "POST") {
        return {
          context: { call: "send_message", accountId: chat?.accountId ?? null, person },
          run: () => this.#sendMessage(chat, person, String(body.text ?? "")),
        };
      }
      return {
        context: { call: "list_messages", accountId: chat?.accountId ?? null, person },
        run: () => this.#listMessages(chat, query),
      };
    }
    if (method === "GET" && first === "chat_attendees" && second && third === "chats") {
      const accountId = query.get("account_id");
      const person = this.#personByProviderId(second);
      return {
        context: { call: "list_chats", accountId, person },
        run: () => this.#listChats(accountId ?? "", second),
      };
    }
    if (method === "GET" && first === "linkedin" && second === "inmail_balance") {
      const accountId = query.get("account_id");
      return {
        context: { call: "inmail_balance", accountId, person: null },
        run: () =>
          new Answer(200, {
            object: "LinkedinInmailBalance",
            premium: this.seat(accountId ?? "").inmailBalance,
            recruiter: this.seat(accountId ?? "").recruiterBalance,
            sales_navigator: this.seat(accountId ?? "").salesNavigatorBalance,
          }),
      };
    }
    if (method === "POST" && first === "linkedin" && !second) {
      const accountId = accountOf(body.account_id);
      const match = /fsd_profile:([^/?]+)$/.exec(String(body.request_url ?? ""));
      const person = match?.[1] ? this.#personByProviderId(match[1]) : null;
      return {
        context: { call: "follow", accountId, person },
        run: () => this.#follow(accountId ?? "", person, body),
      };
    }
    if (method === "POST" && first === "hosted" && second === "accounts" && third === "link") {
      return {
        context: { call: "hosted_link", accountId: null, person: null },
        run: () => {
          this.hostedLinks.push(body);
          return new Answer(201, {
            object: "HostedAuthURL",
            url: `https://account.unipile.test/hosted/${this.#id("link")}`,
          });
        },
      };
    }
    if (method === "GET" && first === "accounts" && !second) {
      return {
        context: { call: "accounts", accountId: null, person: null },
        run: () =>
          new Answer(200, {
            object: "AccountList",
            items: [...this.#seats.entries()].map(([id, seat]) => accountBody(id, seat)),
            cursor: null,
          }),
      };
    }
    if (method === "GET" && first === "accounts" && second && !third) {
      return {
        context: { call: "account", accountId: null, person: null },
        run: () => new Answer(200, accountBody(second, this.seat(second))),
      };
    }
    if (method === "POST" && first === "webhooks" && !second) {
      return {
        context: { call: "create_webhook", accountId: null, person: null },
        run: () => {
          this.webhooksCreated.push(body);
          const id = this.#id("wh");
          this.#webhooks.set(id, { object: "Webhook", type: "AUTO", id, enabled: true, ...body });
          return new Answer(201, { object: "WebhookCreated", webhook_id: id });
        },
      };
    }
    if (method === "GET" && first === "webhooks" && !second) {
      return {
        context: { call: "list_webhooks", accountId: null, person: null },
        run: () => new Answer(200, { object: "WebhookList", items: this.webhooks(), cursor: null }),
      };
    }
    if (method === "DELETE" && first === "webhooks" && second) {
      return {
        context: { call: "delete_webhook", accountId: null, person: null },
        run: () =>
          this.#webhooks.delete(second)
            ? new Answer(200, { object: "WebhookDeleted" })
            : error(404, "resource_not_found", "No such webhook"),
      };
    }
    return null;
  }

  // ── LinkedIn's side ────────────────────────────────────────────────────────────────────

  #id(prefix: string): string {
    this.#counter += 1;
    return `${prefix}_${this.#counter.toString(36)}_${hex(prefix, String(this.#counter))}`;
  }

  #personByIdentifier(identifier: string): FakePerson {
    for (const person of this.#people.values()) {
      if (person.providerId === identifier) return person;
    }
    return this.person(identifier);
  }

  /** A member by any of their product ids, with the product the id belongs to. */
  #personByAnyId(id: string): FakePerson | null {
    for (const person of this.#people.values()) {
      if ([person.providerId, person.salesNavigatorId, person.recruiterId].includes(id)) {
        return person;
      }
    }
    return null;
  }

  #personByProviderId(providerId: string): FakePerson | null {
    for (const person of this.#people.values()) {
      if (person.providerId === providerId) return person;
    }
    return null;
  }

  #connected(accountId: string, person: FakePerson): boolean {
    if (person.networkDistance === "FIRST_DEGREE") return true;
    const now = this.now().getTime();
    return this.#relations.some(
      (r) =>
        r.accountId === accountId && r.providerId === person.providerId && r.at.getTime() <= now,
    );
  }

  #postId(person: FakePerson, index: number): string {
    return `urn:li:activity:${hex("post", person.publicIdentifier, String(index))}`;
  }

  #listPosts(person: FakePerson | null): Answer {
    if (!person) return error(404, "resource_not_found", "Profile not found");
    const now = this.now().getTime();
    return new Answer(200, {
      object: "PostList",
      items: (person.postedAgoMs ?? []).map((ago, index) => ({
        object: "Post",
        id: `post-${index}`,
        social_id: this.#postId(person, index),
        text: "A post",
        parsed_datetime: new Date(now - ago).toISOString(),
        is_repost: false,
      })),
      cursor: null,
    });
  }

  #react(accountId: string, person: FakePerson | null, postId: string, reaction: string): Answer {
    if (!person) return error(404, "resource_not_found", "Post not found");
    this.sends.push({
      kind: "like",
      accountId,
      providerId: person.providerId,
      publicIdentifier: person.publicIdentifier,
      at: this.now(),
      postId,
      reaction,
    });
    return new Answer(201, { object: "ReactionAdded" });
  }

  #profile(accountId: string, person: FakePerson | null, notify: boolean, api: FakeApi): Answer {
    if (!person) return error(404, "resource_not_found", "Profile not found");
    if (notify) {
      this.sends.push({
        kind: "visit",
        accountId,
        providerId: person.providerId,
        publicIdentifier: person.publicIdentifier,
        at: this.now(),
        notify: true,
      });
    }
    const connected = this.#connected(accountId, person);
    const pending = this.#invitations.find(
      (i) => i.accountId === accountId && i.providerId === person.providerId,
    );
    return new Answer(200, {
      object: "UserProfile",
      provider: "LINKEDIN",
      provider_id:
        api === "sales_navigator"
          ? person.salesNavigatorId
          : api === "recruiter"
            ? person.recruiterId
            : person.providerId,
      public_identifier: person.publicIdentifier,
      first_name: person.firstName,
      last_name: person.lastName,
      headline: "",
      websites: [],
      network_distance: connected ? "FIRST_DEGREE" : person.networkDistance,
      is_open_profile: person.isOpenProfile,
      is_premium: person.isPremium,
      can_send_inmail: !person.refusesInmail,
      is_relationship: connected,
      ...(pending ? { invitation: { type: "SENT", status: "PENDING" } } : {}),
    });
  }

  #follow(accountId: string, person: FakePerson | null, body: Record<string, unknown>): Answer {
    if (!person) return error(404, "resource_not_found", "Member not found");
    this.sends.push({
      kind: "follow",
      accountId,
      providerId: person.providerId,
      publicIdentifier: person.publicIdentifier,
      at: this.now(),
    });
    void body;
    return new Answer(200, { object: "LinkedinRawData", data: {} });
  }

  #invite(accountId: string, person: FakePerson | null, body: Record<string, unknown>): Answer {
    if (!person) return error(422, "invalid_recipient", "Unknown recipient");
    if (person.unreachable) return error(422, "invalid_recipient", "Recipient cannot be reached");
    if (this.#connected(accountId, person)) {
      return error(422, "action_already_performed", "Already connected");
    }
    if (
      this.#invitations.some((i) => i.accountId === accountId && i.providerId === person.providerId)
    ) {
      return error(422, "already_invited_recently", "Already invited recently");
    }
    const at = this.now();
    const invitation: Invitation = {
      id: this.#id("inv"),
      accountId,
      providerId: person.providerId,
      publicIdentifier: person.publicIdentifier,
      at,
      note: typeof body.message === "string" ? body.message : null,
    };
    this.#invitations.push(invitation);
    this.sends.push({
      kind: "invite",
      accountId,
      providerId: person.providerId,
      publicIdentifier: person.publicIdentifier,
      at,
      note: invitation.note,
      invitationId: invitation.id,
    });
    if (person.acceptsAfterMs !== undefined) {
      this.#scheduled.push({
        at: new Date(at.getTime() + person.acceptsAfterMs),
        apply: () => {
          const payload = this.accept(
            accountId,
            person.publicIdentifier,
            new Date(at.getTime() + (person.acceptsAfterMs ?? 0)),
          );
          return person.acceptanceWebhookLost ? null : payload;
        },
      });
    }
    return new Answer(201, { object: "UserInvitationSent", invitation_id: invitation.id });
  }

  #listInvitations(accountId: string): Answer {
    return new Answer(200, {
      object: "InvitationList",
      items: this.#invitations
        .filter((i) => i.accountId === accountId)
        .map((i) => ({
          object: "Invitation",
          id: i.id,
          invited_user_id: i.providerId,
          invited_user_public_id: i.publicIdentifier,
          date: i.at.toISOString(),
          invitation_text: i.note,
        })),
      cursor: null,
    });
  }

  #cancelInvitation(accountId: string, invitationId: string): Answer {
    const index = this.#invitations.findIndex(
      (i) => i.id === invitationId && i.accountId === accountId,
    );
    if (index < 0) return error(404, "resource_not_found", "Invitation not found");
    this.#invitations.splice(index, 1);
    return new Answer(200, { object: "InvitationCanceled" });
  }

  #listRelations(accountId: string, cursor: string | null): Answer {
    const now = this.now().getTime();
    const all = this.#relations
      .filter((r) => r.accountId === accountId && r.at.getTime() <= now)
      .sort((a, b) => b.at.getTime() - a.at.getTime());
    if (this.relationsOrder.shuffle) {
      // A stable shuffle: the same list gives the same order on every page read.
      all.sort((a, b) => hex(a.providerId).localeCompare(hex(b.providerId)));
    }
    const size = this.relationsOrder.pageSize ?? all.length;
    const start = cursor ? Number(cursor) : 0;
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? String(start + size) : null;
    return new Answer(200, {
      object: "UserRelationsList",
      items: page.map((r) => ({
        object: "UserRelation",
        member_id: r.providerId,
        public_identifier: r.publicIdentifier,
        created_at: r.at.getTime(),
      })),
      cursor: next,
    });
  }

  #chatFor(accountId: string, person: FakePerson, inmail: boolean): Chat {
    if (!inmail) {
      for (const chat of this.#chats.values()) {
        if (
          chat.accountId === accountId &&
          chat.attendeeProviderId === person.providerId &&
          !chat.inmail
        ) {
          return chat;
        }
      }
    }
    const chat: Chat = {
      id: this.#id("chat"),
      accountId,
      attendeeProviderId: person.providerId,
      inmail,
      messages: [],
    };
    this.#chats.set(chat.id, chat);
    return chat;
  }

  #startChat(accountId: string, person: FakePerson | null, body: Record<string, unknown>): Answer {
    if (!person) return error(422, "invalid_recipient", "Unknown recipient");
    const inmail = body["linkedin[inmail]"] === "true";
    const api = typeof body["linkedin[api]"] === "string" ? body["linkedin[api]"] : null;
    const text = String(body.text ?? "");
    const subject = typeof body.subject === "string" ? body.subject : null;
    if (person.unreachable) return error(422, "user_unreachable", "Recipient cannot be reached");
    const seat = this.seat(accountId);
    if (inmail) {
      if (person.refusesInmail) {
        return error(422, "not_allowed_inmail", "Recipient does not accept InMail");
      }
      if (!person.isOpenProfile) {
        const counter =
          api === "sales_navigator"
            ? "salesNavigatorBalance"
            : api === "recruiter"
              ? "recruiterBalance"
              : "inmailBalance";
        const left = seat[counter];
        if (left === null) {
          return error(403, "feature_not_subscribed", `The seat has no ${api} subscription`);
        }
        if (left <= 0) return error(422, "insufficient_credits", "Not enough InMail credits");
        seat[counter] = left - 1;
      }
    } else if (!this.#connected(accountId, person)) {
      return error(422, "no_connection_with_recipient", "Not connected");
    }
    const chat = this.#chatFor(accountId, person, inmail);
    const message = this.#ownMessage(chat, seat, text);
    this.sends.push({
      kind: inmail ? "inmail" : "message",
      accountId,
      providerId: person.providerId,
      publicIdentifier: person.publicIdentifier,
      at: message.at,
      text,
      subject,
      inmail,
      api,
      attendeeId: String(([] as unknown[]).concat(body.attendees_ids ?? [])[0] ?? ""),
      chatId: chat.id,
      messageId: message.id,
    });
    this.#scheduleReply(chat, person);
    return new Answer(201, { object: "ChatStarted", chat_id: chat.id, message_id: message.id });
  }

  #sendMessage(chat: Chat | null, person: FakePerson | null, text: string): Answer {
    if (!chat || !person) return error(404, "resource_not_found", "Chat not found");
    const seat = this.seat(chat.accountId);
    const message = this.#ownMessage(chat, seat, text);
    this.sends.push({
      kind: "message",
      accountId: chat.accountId,
      providerId: person.providerId,
      publicIdentifier: person.publicIdentifier,
      at: message.at,
      text,
      inmail: false,
      chatId: chat.id,
      messageId: message.id,
    });
    this.#scheduleReply(chat, person);
    return new Answer(201, { object: "MessageSent", message_id: message.id });
  }

  #ownMessage(chat: Chat, seat: SeatState, text: string): ChatMessage {
    const message: ChatMessage = {
      id: this.#id("msg"),
      text,
      senderProviderId: seat.ownProviderId,
      isSender: true,
      at: this.now(),
    };
    chat.messages.push(message);
    // Unipile reports the seat's own messages through the same webhook as everyone's.
    const ownWebhook = messageWebhook(chat.accountId, chat, message, null, seat);
    this.#scheduled.push({ at: message.at, apply: () => ownWebhook });
    return message;
  }

  #scheduleReply(chat: Chat, person: FakePerson) {
    if (person.repliesAfterMs === undefined) return;
    const alreadyScheduled = chat.messages.filter((m) => m.isSender).length > 1;
    if (alreadyScheduled) return;
    const at = new Date(this.now().getTime() + person.repliesAfterMs);
    this.#scheduled.push({
      at,
      apply: () => {
        const message: ChatMessage = {
          id: this.#id("msg"),
          text: "Thanks, happy to talk.",
          senderProviderId: person.providerId,
          isSender: false,
          at,
        };
        chat.messages.push(message);
        return messageWebhook(chat.accountId, chat, message, person);
      },
    });
  }

  #listChats(accountId: string, attendeeProviderId: string): Answer {
    return new Answer(200, {
      object: "ChatList",
      items: [...this.#chats.values()]
        .filter((c) => c.accountId === accountId && c.attendeeProviderId === attendeeProviderId)
        .map((c) => ({
          object: "Chat",
          id: c.id,
          account_id: c.accountId,
          attendee_provider_id: c.attendeeProviderId,
        })),
      cursor: null,
    });
  }

  /** `GET /chats`: the seat's chats, newest activity first, `after` an ISO instant, paged. */
  #listAccountChats(accountId: string, query: URLSearchParams): Answer {
    const after = query.get("after") ? new Date(String(query.get("after"))).getTime() : null;
    const newest = (c: Chat) => Math.max(0, ...c.messages.map((m) => m.at.getTime()));
    const all = [...this.#chats.values()]
      .filter((c) => c.accountId === accountId && c.messages.length > 0)
      .filter((c) => after === null || newest(c) >= after)
      .sort((a, b) => newest(b) - newest(a));
    const { page, next } = pageOf(all, query);
    return new Answer(200, {
      object: "ChatList",
      items: page.map((c) => ({
        object: "Chat",
        id: c.id,
        account_id: c.accountId,
        account_type: "LINKEDIN",
        provider_id: `linkedin-${c.id}`,
        attendee_provider_id: c.attendeeProviderId,
        type: 0,
        name: null,
        timestamp: new Date(newest(c)).toISOString(),
        unread_count: 0,
        archived: 0,
        read_only: 0,
      })),
      cursor: next,
    });
  }

  #listMessages(chat: Chat | null, query: URLSearchParams): Answer {
    if (!chat) return error(404, "resource_not_found", "Chat not found");
    const { page, next } = pageOf([...chat.messages].reverse(), query);
    return new Answer(200, {
      object: "MessageList",
      items: page.map((m) => ({
        object: "Message",
        id: m.id,
        chat_id: chat.id,
        text: m.text,
        sender_id: m.senderProviderId,
        is_sender: m.isSender ? 1 : 0,
        timestamp: m.at.toISOString(),
      })),
      cursor: next,
    });
  }
}

/** One page of a list: `limit` items from the offset the `cursor` holds. */
function pageOf<T>(all: T[], query: URLSearchParams): { page: T[]; next: string | null } {
  const limit = Math.max(1, Number(query.get("limit") ?? 0) || all.length || 1);
  const start = Number(query.get("cursor") ?? 0) || 0;
  const end = start + limit;
  return { page: all.slice(start, end), next: end < all.length ? String(end) : null };
}

function accountBody(id: string, seat: SeatState) {
  return {
    object: "Account",
    id,
    type: "LINKEDIN",
    name: seat.name,
    sources: [{ id: `${id}_MESSAGING`, status: seat.restricted ? "ERROR" : "OK" }],
  };
}

function send(res: ServerResponse, answer: Answer) {
  res.writeHead(answer.status, { "content-type": "application/json" });
  res.end(JSON.stringify(answer.body));
}

/** A new_relation delivery, as Unipile posts it. */
export function relationWebhook(accountId: string, person: FakePerson) {
  return {
    event: "new_relation",
    account_id: accountId,
    account_type: "LINKEDIN",
    webhook_name: "outflow",
    user_full_name: `${person.firstName} ${person.lastName}`,
    user_provider_id: person.providerId,
    user_public_identifier: person.publicIdentifier,
    user_profile_url: `https://www.linkedin.com/in/${person.publicIdentifier}`,
  };
}

/** A message_received delivery: from the lead, or from the seat itself. */
export function messageWebhook(
  accountId: string,
  chat: { id: string },
  message: { id: string; text: string; senderProviderId: string; at: Date },
  person: FakePerson | null,
  seat?: { ownProviderId: string; name: string },
) {
  return {
    event: "message_received",
    account_id: accountId,
    account_type: "LINKEDIN",
    webhook_name: "outflow",
    chat_id: chat.id,
    message_id: message.id,
    message: message.text,
    timestamp: message.at.toISOString(),
    sender: {
      attendee_id: `att_${message.senderProviderId}`,
      attendee_name: person ? `${person.firstName} ${person.lastName}` : (seat?.name ?? ""),
      attendee_provider_id: message.senderProviderId,
    },
    attendees: [],
  };
}

/** An account status delivery. */
export function accountStatusWebhook(accountId: string, message: string) {
  return { AccountStatus: { account_id: accountId, account_type: "LINKEDIN", message } };
}

/** Each product's member ids, as Unipile's users overview gives them. */
const ID_FAMILY: Record<FakeApi, RegExp> = {
  classic: /^ACo/,
  sales_navigator: /^ACw/,
  recruiter: /^AE/,
};

const text = (value: unknown) => typeof value === "string" && value.length > 0;

/**
 * The SDK's input types (unipile-node-sdk 1.9.3), checked on every request: path, method,
 * content type, required fields, the product and member-id family of a chat, the follow body.
 * A mismatch answers 400 invalid_parameters, as Unipile would, so drift fails the tests.
 * Returns why the request does not match, or null.
 */
export function validateRequest(
  method: string,
  route: string,
  query: URLSearchParams,
  body: Record<string, unknown>,
  contentType: string,
): string | null {
  const segments = route.split("/").filter(Boolean);
  const [first, second, third, fourth] = segments;
  const json = contentType.includes("application/json");
  const multipart = contentType.includes("multipart/form-data");
  const needAccount = () => (text(query.get("account_id")) ? null : "account_id is required");

  if (first === "users") {
    if (second === "invite" && third === "sent") {
      if (method === "GET" && !fourth) return needAccount();
      if (method === "DELETE" && fourth && !segments[4]) return needAccount();
      return `${method} ${route} is not a route`;
    }
    if (second === "invite" && !third) {
      if (method !== "POST") return `${method} ${route} is not a route`;
      if (!json) return "users/invite takes JSON";
      if (!text(body.account_id) || !text(body.provider_id)) {
        return "account_id and provider_id are required";
      }
      if (
        body.message !== undefined &&
        (typeof body.message !== "string" || body.message.length > 300)
      ) {
        return "message is a text of at most 300 characters";
      }
      return null;
    }
    if (second === "relations" && !third) return method === "GET" ? needAccount() : "not a route";
    if (second && !third) {
      if (method !== "GET") return `${method} ${route} is not a route`;
      const api = query.get("linkedin_api");
      if (api !== null && api !== "sales_navigator" && api !== "recruiter") {
        return "linkedin_api is sales_navigator or recruiter";
      }
      const notify = query.get("notify");
      if (notify !== null && notify !== "true" && notify !== "false") return "notify is a boolean";
      return needAccount();
    }
    return null;
  }
  if (first === "chats" && !second) {
    if (method !== "POST") return null;
    if (!multipart) return "chats takes multipart/form-data";
    const attendees = ([] as unknown[]).concat(body.attendees_ids ?? []);
    if (!text(body.account_id) || !text(body.text) || attendees.length === 0) {
      return "account_id, text and attendees_ids are required";
    }
    const apiField = body["linkedin[api]"];
    const api = (apiField ?? "classic") as FakeApi;
    if (!(api in ID_FAMILY)) return "linkedin[api] is classic, sales_navigator or recruiter";
    const inmail = body["linkedin[inmail]"];
    if (inmail !== undefined && inmail !== "true" && inmail !== "false") {
      return "linkedin[inmail] is a boolean";
    }
    for (const id of attendees) {
      if (typeof id !== "string" || !ID_FAMILY[api].test(id)) {
        return `attendees_ids must be ${api} member ids`;
      }
    }
    return null;
  }
  if (first === "chats" && second && third === "messages" && method === "POST") {
    if (!multipart) return "messages take multipart/form-data";
    return text(body.text) ? null : "text is required";
  }
  if (first === "linkedin" && second === "inmail_balance") {
    return method === "GET" ? needAccount() : `${method} ${route} is not a route`;
  }
  if (first === "linkedin" && !second && method === "POST") {
    if (!json) return "linkedin takes JSON";
    if (!text(body.account_id) || !text(body.method) || !text(body.request_url)) {
      return "account_id, method and request_url are required";
    }
    if (typeof body.body !== "object" || body.body === null) return "body is an object";
    if (body.encoding !== false) return "encoding must be false for a JSON body";
    return null;
  }
  if (first === "hosted" && second === "accounts" && third === "link" && method === "POST") {
    if (!json) return "hosted links take JSON";
    if (!text(body.expiresOn) || !text(body.api_url)) return "expiresOn and api_url are required";
    if (body.type === "create")
      return Array.isArray(body.providers) ? null : "providers is required";
    if (body.type === "reconnect")
      return text(body.reconnect_account) ? null : "reconnect_account is required";
    return "type is create or reconnect";
  }
  if (first === "webhooks" && !second && method === "POST") {
    if (!json) return "webhooks take JSON";
    if (!text(body.request_url)) return "request_url is required";
    const sources = ["messaging", "users", "account_status", "email", "email_tracking"];
    return sources.includes(String(body.source)) ? null : "source is not a webhook source";
  }
  return null;
}
