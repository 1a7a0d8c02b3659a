/**
 * One step of one enrollment: walk the lead through the graph from where it stands until it
 * has to wait (a wait step, a condition still open, a send planned later) or ends. Every move
 * is committed before the next side effect, so a crash replays nothing that already happened.
 */
import { budgetLimitsFor } from "../credits/budgets";
import type { GraphNode } from "../graph/index";
import {
  type ActionRequest,
  findNodeDefinition,
  getNodeDefinition,
  isActionKind,
  type SendFace,
} from "../nodes/index";
import type {
  Provider,
  ProviderAccountRef,
  ProviderLeadRef,
  ProviderOutcome,
} from "../providers/types";
import { seedFor, uniform01 } from "../random";
import type { Clock } from "./clock";
import {
  decideIfAccepted,
  decideIfReplied,
  followExit,
  knownFirstDegree,
  stoppedByReply,
} from "./decide";
import { capsInForce } from "./pacing/caps";
import { scheduleNextSend, sendDrawFor, startOffsetMinutes } from "./pacing/jitter";
import { localDate } from "./pacing/local-time";
import type { ActionKind } from "./pacing/settings";
import { addWait } from "./pacing/waits";
import { nextWorkingDayStart } from "./pacing/working-hours";
import {
  type ActionCompletion,
  type EngineStore,
  type EnrollmentContext,
  type HistoryEntry,
  NOT_DELIVERED_RECONCILED,
  type StepState,
  type StepStore,
  type StoredAction,
} from "./ports";
import { reinviteWait } from "./withdrawals";

export interface EngineDeps {
  store: EngineStore;
  provider: Provider;
  clock: Clock;
  /** This worker's name, written on the leases it takes. */
  owner: string;
}

/** What one step works with: the batch session's store in place of the engine's. */
export interface StepDeps {
  store: StepStore;
  provider: Provider;
  clock: Clock;
  /** This worker's name, written on the leases it takes. */
  owner: string;
}

/**
 * How long a worker holds an enrollment it claimed. Provider calls time out well within it, so
 * an intent older than a lease is no longer being sent by anyone.
 */
export const LEASE_MS = 5 * 60 * 1000;

/**
 * The latest a provider call may start after its intent was written: a minute before the intent
 * counts as settled, longer than any provider call may take (they time out within 30 s). A call
 * started later could still be on its way when another worker reconciles the intent, finds
 * nothing sent and sends again under a new key.
 */
export const CALL_DEADLINE_MS = LEASE_MS - 60_000;

/** How long to wait before reconciling an action whose outcome was unknown. */
export const RECONCILE_DELAY_MS = 10 * 60 * 1000;
/** The reason on an action LinkedIn refused as a malformed request (nothing about the lead). */
export const REQUEST_REFUSED = "request refused";
/** How many times such a refusal is tried before the step is held for a person. */
export const MAX_REQUEST_ATTEMPTS = 3;
/** The wait before the next try after the n-th refusal (1-based): 15 minutes, then 1 hour. */
export function requestRetryDelayMs(failures: number): number {
  return 15 * 60_000 * 4 ** Math.max(0, failures - 1);
}
/** How many working days ahead a lead turned away by a full cap may book a place. */
const BOOKING_HORIZON_DAYS = 30;
/** Moves one step may make before it must yield (a cycle always holds a wait). */
const MAX_MOVES_PER_STEP = 64;

export type StepResult =
  | { type: "waiting"; until: Date }
  | { type: "ended"; outcome: string; reason?: string }
  | { type: "lease_lost" };

interface Position {
  nodeId: string;
  stepSeq: number;
  branch: string;
  stepState: StepState | null;
}

type SendOutcome =
  | { type: "lease_lost" }
  | { type: "exit"; exit: string; note?: string }
  | { type: "end"; outcome: string; reason: string }
  | {
      type: "sleep";
      until: Date;
      bookedDate?: string | null;
      bookedKind?: ActionKind;
      sendAt?: Date;
      queue?: { priority: number; tag: number };
    };

export async function stepEnrollment(
  deps: StepDeps,
  context: EnrollmentContext,
): Promise<StepResult> {
  const { store, owner } = deps;
  const { enrollment, graph } = context;
  const now = deps.clock.now();
  let position: Position = {
    nodeId: enrollment.nodeId,
    stepSeq: enrollment.stepSeq,
    branch: enrollment.branch,
    stepState: enrollment.stepState,
  };

  const stateFor = (p: Position): StepState =>
    p.stepState && p.stepState.seq === p.stepSeq
      ? p.stepState
      : { seq: p.stepSeq, enteredAt: now.toISOString() };

  const finish = async (outcome: string, reason: string | undefined, node: GraphNode | null) => {
    const history: HistoryEntry[] = [
      {
        at: now,
        nodeId: position.nodeId,
        exit: null,
        toNodeId: null,
        branch: position.branch,
        note: reason ?? outcome,
      },
    ];
    const ok = await store.transition(enrollment.id, owner, {
      ...position,
      stepState: null,
      // A lead stopped for a reason of its own (a reply, an unreachable person) ended
      // normally; only the engine's own failures (a broken graph) are failures.
      state: node?.kind !== "end" && outcome === "failed" ? "failed" : "done",
      nextRunAt: now,
      outcome,
      reason: reason ?? null,
      history,
    });
    return ok ? ({ type: "ended", outcome, reason } as const) : ({ type: "lease_lost" } as const);
  };

  const sleep = async (until: Date, stepState: StepState) => {
    const ok = await store.reschedule(enrollment.id, owner, until, stepState);
    return ok ? ({ type: "waiting", until } as const) : ({ type: "lease_lost" } as const);
  };

  for (let moves = 0; moves < MAX_MOVES_PER_STEP; moves++) {
    const node = graph.nodes.find((n) => n.id === position.nodeId);
    if (!node) return finish("failed", `step ${position.nodeId} is not in the workflow`, null);
    const definition = getNodeDefinition(node.kind);
    const stepState = stateFor(position);

    let exit: string;
    let note: string | undefined;
    if (node.kind === "end") {
      return finish(node.config.outcome, undefined, node);
    } else if (node.kind === "start") {
      exit = "next";
    } else if (node.kind === "wait") {
      const waitUntil = stepState.waitUntil
        ? new Date(stepState.waitUntil)
        : addWait(
            new Date(stepState.enteredAt),
            getNodeDefinition("wait").engine.waitDuration(node.config),
            context.account.pacing,
          );
      if (now.getTime() < waitUntil.getTime()) {
        return sleep(waitUntil, { ...stepState, waitUntil: waitUntil.toISOString() });
      }
      exit = "next";
    } else if (node.kind === "if_accepted" || node.kind === "if_replied") {
      const actions = context.actions;
      const events = await store.eventsFor(context.account.id, context.lead.id);
      const decision =
        node.kind === "if_accepted"
          ? decideIfAccepted({
              windowDays: node.config.withinDays,
              actions,
              events,
              profile: context.lead.profile,
              now,
              withdrawAfterDays: context.account.pacing.invitations.withdrawAfterDays,
            })
          : decideIfReplied({ windowDays: node.config.withinDays, actions, events, now });
      if ("wakeAt" in decision) return sleep(decision.wakeAt, stepState);
      exit = decision.exit;
      note = "note" in decision ? decision.note : undefined;
    } else {
      const outcome = await performSend(deps, context, node, position);
      if (outcome.type === "lease_lost") return outcome;
      if (outcome.type === "sleep") {
        const {
          bookedDate: _booked,
          bookedKind: _kind,
          sendAt: _slot,
          queuePriority: _priority,
          queueTag: _tag,
          ...rest
        } = stepState;
        return sleep(outcome.until, {
          ...rest,
          ...(outcome.queue
            ? { queuePriority: outcome.queue.priority, queueTag: outcome.queue.tag }
            : {}),
          ...(outcome.bookedDate
            ? {
                bookedDate: outcome.bookedDate,
                bookedKind: outcome.bookedKind ?? stepState.bookedKind,
              }
            : {}),
          ...(outcome.sendAt ? { sendAt: outcome.sendAt.toISOString() } : {}),
        });
      }
      if (outcome.type === "end") return finish(outcome.outcome, outcome.reason, node);
      exit = outcome.exit;
      note = outcome.note;
    }

    const target = followExit(graph, node, exit, position.branch, definition.engine.isCondition);
    if (target.toNodeId === null) {
      return finish("failed", `the “${exit}” exit of step ${node.id} leads nowhere`, node);
    }
    const next: Position = {
      nodeId: target.toNodeId,
      stepSeq: position.stepSeq + 1,
      branch: target.branch,
      stepState: { seq: position.stepSeq + 1, enteredAt: now.toISOString() },
    };
    const ok = await store.transition(enrollment.id, owner, {
      ...next,
      state: "active",
      nextRunAt: now,
      history: [
        {
          at: now,
          nodeId: node.id,
          exit,
          toNodeId: target.toNodeId,
          branch: target.branch,
          ...(note ? { note } : {}),
        },
      ],
    });
    if (!ok) return { type: "lease_lost" };
    position = next;
  }
  // A graph without a wait in a cycle is refused at publishing; this is the last guard.
  return sleep(new Date(now.getTime() + 60 * 60 * 1000), stateFor(position));
}

/** Marks an action done in the store and in the step's own list of the enrollment's actions. */
async function complete(
  store: StepStore,
  actionId: string,
  context: EnrollmentContext,
  completion: ActionCompletion,
) {
  await store.completeAction(actionId, context, completion);
  const known = context.actions.find((a) => a.id === actionId);
  if (known && known.status === "intent") {
    known.status = completion.status;
    known.reason = completion.reason ?? null;
    known.chatId = completion.chatId ?? null;
    known.credits = completion.creditsUsed;
    known.sentAt = completion.status === "sent" ? completion.at : null;
  }
}

function leadRef(context: EnrollmentContext): ProviderLeadRef {
  return {
    leadId: context.lead.id,
    publicIdentifier: context.lead.publicIdentifier,
    providerId: context.lead.providerId,
  };
}

function accountRef(context: EnrollmentContext): ProviderAccountRef {
  return { accountId: context.account.id, providerAccountId: context.account.providerAccountId };
}

/** The step's send: what its module says it does on LinkedIn. */
function sendOf(node: GraphNode): SendFace | undefined {
  return findNodeDefinition(node.kind)?.send;
}

/** The exit an action that already finished leads to; used when a step is replayed. */
function exitForFinishedAction(node: GraphNode, action: StoredAction): SendOutcome {
  if (action.status === "sent") return doneExit(node);
  return routeNotSent(node, action.reason ?? "not_reachable");
}

function doneExit(node: GraphNode): SendOutcome {
  return { type: "exit", exit: sendOf(node)?.doneExit ?? "next" };
}

/** Where a lead goes when LinkedIn would not take the action. Never a silent failure. */
function routeNotSent(node: GraphNode, reason: string): SendOutcome {
  const send = sendOf(node);
  if (!send) return { type: "end", outcome: "stopped", reason: reason.replaceAll("_", " ") };
  return send.notSent(node.config, reason);
}

interface PreparedSend {
  kind: ActionKind;
  variant: string | null;
  hasText: boolean;
  credits: number;
  call: (key: string, at: Date) => Promise<ProviderOutcome>;
}

/** Chooses the A/B variant and renders the text for this lead; refuses a send it cannot make. */
function prepareSend(
  deps: StepDeps,
  context: EnrollmentContext,
  node: GraphNode,
  stepSeq: number,
  firstDegree: boolean,
): PreparedSend | SendOutcome {
  const send = sendOf(node);
  if (!send)
    return { type: "end", outcome: "failed", reason: `step kind ${node.kind} sends nothing` };
  // Draws are keyed by the lead's identity, not by row ids, so a seed replays exactly.
  const roll = uniform01(
    seedFor(context.campaign.seed, "variant", context.lead.publicIdentifier, stepSeq),
  );
  const plan = send.prepare(node.config, {
    lead: {
      firstName: context.lead.firstName,
      lastName: context.lead.lastName,
      company: context.lead.company,
      title: context.lead.title,
      custom: context.lead.custom,
    },
    roll,
    firstDegree,
    isOpenProfile: context.lead.profile?.isOpenProfile === true,
  });
  if ("type" in plan) return plan;
  if (!isActionKind(plan.action)) {
    return { type: "end", outcome: "failed", reason: `no provider performs ${plan.action}` };
  }
  const kind = plan.action;
  const account = accountRef(context);
  const lead = leadRef(context);
  return {
    kind,
    variant: plan.variant,
    hasText: plan.hasText,
    credits: plan.credits,
    // The module built the request for its own action kind.
    call: (key, at) =>
      deps.provider.perform(kind, account, lead, plan.request as ActionRequest<typeof kind>, {
        idempotencyKey: key,
        at,
      }),
  };
}

async function performSend(
  deps: StepDeps,
  context: EnrollmentContext,
  node: GraphNode,
  position: Position,
): Promise<SendOutcome> {
  const { store, provider, clock } = deps;
  const now = clock.now();
  const pacing = context.account.pacing;
  const keyPrefix = `${context.enrollment.id}:${position.stepSeq}:`;
  const attempts = context.actions.filter((a) => a.idempotencyKey.startsWith(keyPrefix));
  const last = attempts.at(-1);

  if (last && last.status !== "failed") {
    if (last.status !== "intent") return exitForFinishedAction(node, last);
    // An intent younger than a lease may still be in flight in the worker that wrote it (its
    // lease expired early, or it is slow): wait until that worker can no longer be sending.
    const settledAt = last.createdAt.getTime() + LEASE_MS;
    if (now.getTime() < settledAt) return { type: "sleep", until: new Date(settledAt) };
    // A crash or a timeout left this action's outcome unknown: ask LinkedIn before anything.
    const found = await provider.reconcile(accountRef(context), leadRef(context), {
      kind: last.kind,
      idempotencyKey: last.idempotencyKey,
      since: last.createdAt,
    });
    if (found.status === "unknown") {
      return { type: "sleep", until: new Date(now.getTime() + RECONCILE_DELAY_MS) };
    }
    const sent = found.status === "sent";
    await complete(store, last.id, context, {
      status: sent ? "sent" : "failed",
      at: now,
      reason: sent ? "reconciled" : NOT_DELIVERED_RECONCILED,
      reference: sent ? (found.reference ?? null) : null,
      chatId: sent ? (found.chatId ?? null) : null,
      releaseSlot: !sent,
      creditsUsed: sent ? last.credits : 0,
    });
    if (sent) return doneExit(node);
    // Not delivered: fall through and try again under a new key.
  }

  // The reply check and the send's shape rest on the lead's events; the reservation checks
  // them again inside its transaction and sends the step back here when they changed.
  for (let attempt = 0; ; attempt++) {
    const events = await store.eventsFor(context.account.id, context.lead.id);
    if (
      stoppedByReply({
        stopOnReply: context.campaign.stopOnReply,
        graph: context.graph,
        branch: position.branch,
        events,
      })
    ) {
      return { type: "end", outcome: "replied", reason: "the lead replied" };
    }

    const firstDegree = knownFirstDegree({
      profile: context.lead.profile,
      actions: context.actions,
      events,
    });
    const prepared = prepareSend(deps, context, node, position.stepSeq, firstDegree);
    if ("type" in prepared) return prepared;

    const ownState = position.stepState?.seq === position.stepSeq ? position.stepState : null;
    const heldBooking = ownState?.bookedDate ?? null;
    const heldSlot = ownState?.sendAt ? new Date(ownState.sendAt) : null;
    // A person whose invitation this enrollment withdrew cannot be invited again for three
    // weeks: the lead sleeps until then, without a slot and without asking LinkedIn.
    const blocked =
      prepared.kind === "connect" && !heldBooking && !heldSlot
        ? reinviteWait(context.actions, now, context.withdrawnInvitations)
        : null;
    if (blocked) return { type: "sleep", until: blocked };

    const key = `${keyPrefix}${attempts.length}`;
    const draw = sendDrawFor(
      context.campaign.seed,
      context.account.providerAccountId,
      `${context.lead.publicIdentifier}:${position.stepSeq}:${attempts.length}`,
    );
    const dayOffset = (date: string) => startOffsetMinutes(draw.dayStart(date), pacing);
    const today = localDate(now, pacing.timeZone);
    const reservation = await store.reserveSend({
      context,
      owner: deps.owner,
      branch: position.branch,
      idempotencyKey: key,
      nodeId: node.id,
      kind: prepared.kind,
      variant: prepared.variant,
      hasText: prepared.hasText,
      credits: prepared.credits,
      budget:
        prepared.credits > 0
          ? budgetLimitsFor(context.campaign.budgets, node.id, position.branch)
          : null,
      now,
      localDate: today,
      caps: capsInForce(pacing, today),
      spacingMs: pacing.gap.minSeconds * 1000,
      bookedDate: heldBooking,
      bookedKind: ownState?.bookedKind ?? null,
      plannedSendAt: heldSlot,
      eventsSeen: events.length,
      nextDays: (from = now) => {
        const days: Array<{
          localDate: string;
          startsAt: Date;
          caps: ReturnType<typeof capsInForce>;
        }> = [];
        let cursor: Date = from;
        for (let i = 0; i < BOOKING_HORIZON_DAYS; i++) {
          cursor = nextWorkingDayStart(cursor, pacing, dayOffset);
          const date = localDate(cursor, pacing.timeZone);
          days.push({ localDate: date, startsAt: cursor, caps: capsInForce(pacing, date) });
        }
        return days;
      },
      plan: (nextFreeAt) => {
        const scheduled = scheduleNextSend({ nextFreeAt, now, settings: pacing, draw });
        return { sendAt: scheduled.sendAt, nextFreeAt: scheduled.nextFreeAt };
      },
    });

    switch (reservation.type) {
      case "later":
        // The lead now holds this slot and a place on its day: it sleeps until then.
        return {
          type: "sleep",
          until: reservation.at,
          bookedDate: reservation.bookedDate,
          bookedKind: prepared.kind,
          sendAt: reservation.at,
        };
      case "queued":
        return {
          type: "sleep",
          until: reservation.at,
          queue: { priority: reservation.priority, tag: reservation.tag },
        };
      case "cap_reached":
        return {
          type: "sleep",
          until: reservation.retryAt,
          bookedDate: reservation.bookedDate,
          bookedKind: prepared.kind,
        };
      case "account_unavailable":
        return {
          type: "sleep",
          until: new Date(now.getTime() + 60 * 60 * 1000),
          bookedDate: heldBooking,
        };
      case "pending_ceiling":
        // Too many invitations pending on the seat: this one waits, holding no slot or place,
        // until acceptances and withdrawals make room (looked at again the next working day).
        return { type: "sleep", until: nextWorkingDayStart(now, pacing, dayOffset) };
      case "no_credit":
        return routeNotSent(node, "no_credit");
      case "budget_reached":
        return routeNotSent(node, "budget_reached");
      case "lease_lost":
        return { type: "lease_lost" };
      case "events_changed":
        // An acceptance or a reply arrived while the send was being decided: decide again.
        if (attempt < 3) continue;
        return { type: "sleep", until: new Date(now.getTime() + 60_000), bookedDate: heldBooking };
      case "reserved":
        break;
    }

    const action = reservation.action;
    context.actions.push(action);
    // This worker stalled between the intent and the call (a long pause, a slow database):
    // past the deadline it leaves the intent to the reconciliation instead of calling.
    // As for an unknown outcome, the slot and the day's place stay spent until then.
    if (clock.now().getTime() > action.createdAt.getTime() + CALL_DEADLINE_MS) {
      return { type: "sleep", until: new Date(action.createdAt.getTime() + LEASE_MS) };
    }
    let outcome: ProviderOutcome;
    try {
      outcome = await prepared.call(key, now);
    } catch (error) {
      outcome = {
        status: "unknown",
        detail: error instanceof Error ? error.message : String(error),
      };
    }

    switch (outcome.status) {
      case "sent": {
        if (outcome.profile) await store.updateLeadProfile(context.lead.id, outcome.profile);
        await complete(store, action.id, context, {
          status: "sent",
          at: now,
          reference: outcome.reference ?? null,
          chatId: outcome.chatId ?? null,
          releaseSlot: false,
          // What the reservation took from a pool, unless the InMail turned out free; without
          // a pool nothing was taken, and nothing is counted.
          creditsUsed: outcome.creditUsed === false ? 0 : action.credits,
        });
        return doneExit(node);
      }
      case "not_sent":
        await complete(store, action.id, context, {
          status: "not_sent",
          at: now,
          reason: outcome.reason,
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        return routeNotSent(node, outcome.reason);
      case "limited": {
        await complete(store, action.id, context, {
          status: "failed",
          at: now,
          reason: "limited",
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        const until = nextWorkingDayStart(now, pacing, dayOffset);
        await store.coolDownAccount(context.account.id, until, outcome.detail ?? "LinkedIn limit");
        return { type: "sleep", until };
      }
      case "restricted":
      case "disconnected": {
        await complete(store, action.id, context, {
          status: "failed",
          at: now,
          reason: outcome.status,
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        await store.pauseAccount(
          context.account.id,
          outcome.status === "restricted" ? "restricted" : "needs_reconnect",
          outcome.detail ?? outcome.status,
        );
        return { type: "sleep", until: new Date(now.getTime() + 24 * 60 * 60 * 1000) };
      }
      case "failed": {
        // The request was refused as malformed: nothing about the lead, who stays at this
        // step. Tried again later, then the step is held with an alert for a person.
        await complete(store, action.id, context, {
          status: "failed",
          at: now,
          reason: REQUEST_REFUSED,
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        let failures = 1;
        for (let i = attempts.length - 1; i >= 0; i--) {
          const earlier = attempts[i]!;
          if (earlier.status !== "failed" || earlier.reason !== REQUEST_REFUSED) break;
          failures += 1;
        }
        if (failures >= MAX_REQUEST_ATTEMPTS) {
          await store.holdStep({
            workspaceId: context.enrollment.workspaceId,
            campaignId: context.campaign.id,
            nodeId: node.id,
            accountId: context.account.id,
            detail: outcome.detail ?? "LinkedIn refused the request",
            at: now,
          });
          // Held leads are not claimed; this wake-up only matters once the hold is lifted.
          return { type: "sleep", until: new Date(now.getTime() + requestRetryDelayMs(1)) };
        }
        return { type: "sleep", until: new Date(now.getTime() + requestRetryDelayMs(failures)) };
      }
      case "seat_unavailable": {
        await complete(store, action.id, context, {
          status: "failed",
          at: now,
          reason: "seat unavailable",
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        await store.pauseAccount(
          context.account.id,
          "paused",
          `LinkedIn refused this seat the action (${outcome.detail ?? "not available on its plan"}): check the seat's plan, then resume it.`,
        );
        return { type: "sleep", until: new Date(now.getTime() + 24 * 60 * 60 * 1000) };
      }
      case "credentials":
        // The workspace's API key was refused: a setting to fix, not the seat or the lead.
        await complete(store, action.id, context, {
          status: "failed",
          at: now,
          reason: "credentials",
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        return { type: "sleep", until: new Date(now.getTime() + 60 * 60 * 1000) };
      case "wait":
        // This person cannot get it yet (a withdrawn invitation): only this lead waits.
        await complete(store, action.id, context, {
          status: "failed",
          at: now,
          reason: "person not yet reachable again",
          error: outcome.detail ?? null,
          releaseSlot: true,
          creditsUsed: 0,
        });
        return { type: "sleep", until: outcome.until };
      case "unknown":
        // Leave the intent in place: the next run reconciles it before anything else.
        return { type: "sleep", until: new Date(now.getTime() + RECONCILE_DELAY_MS) };
    }
  }
}
