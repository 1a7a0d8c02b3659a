import { describe, expect, it } from "vitest";
import { type AutosaveState, createAutosaver, type SaveResponse, type Scheduler } from "./autosave";

/** Timers the test fires by hand. */
function manualScheduler() {
  const tasks: Array<{ task: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Scheduler = (task, ms) => {
    const entry = { task, ms, cancelled: false };
    tasks.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    schedule,
    pending: () => tasks.filter((entry) => !entry.cancelled),
    fire() {
      const due = tasks.filter((entry) => !entry.cancelled);
      for (const entry of due) entry.cancelled = true;
      for (const entry of due) entry.task();
    },
  };
}

/** A server whose answers the test releases one at a time. */
function pendingServer() {
  const calls: Array<{
    draft: number;
    baseHash: string;
    answer: (response: SaveResponse) => void;
  }> = [];
  return {
    calls,
    save: (draft: number, baseHash: string) =>
      new Promise<SaveResponse>((resolve) => calls.push({ draft, baseHash, answer: resolve })),
  };
}

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  const scheduler = manualScheduler();
  const server = pendingServer();
  const states: AutosaveState[] = [];
  let draft = 0;
  const saver = createAutosaver<number>({
    baseHash: "h0",
    unpublishedChanges: true,
    read: () => draft,
    save: server.save,
    onState: (state) => states.push(state),
    schedule: scheduler.schedule,
  });
  const edit = () => {
    draft += 1;
    saver.changed();
  };
  return { scheduler, server, states, saver, edit, status: () => saver.getState().status };
}

describe("autosave", () => {
  it("waits for a pause in editing, then saves once from the hash it was loaded with", async () => {
    const { scheduler, server, saver, edit, status } = setUp();
    edit();
    edit();
    edit();
    expect(status()).toBe("unsaved");
    expect(scheduler.pending()).toHaveLength(1);
    scheduler.fire();
    expect(status()).toBe("saving");
    expect(server.calls).toEqual([expect.objectContaining({ draft: 3, baseHash: "h0" })]);
    server.calls[0]!.answer({ type: "saved", hash: "h1", unpublishedChanges: true });
    await flushPromises();
    expect(status()).toBe("saved");
    expect(saver.getState().baseHash).toBe("h1");
  });

  it("edits made during a save go out after it, from the hash that save returned", async () => {
    const { scheduler, server, edit, status } = setUp();
    edit();
    scheduler.fire();
    edit();
    expect(status()).toBe("saving");
    server.calls[0]!.answer({ type: "saved", hash: "h1", unpublishedChanges: true });
    await flushPromises();
    expect(status()).toBe("unsaved");
    scheduler.fire();
    expect(server.calls[1]).toMatchObject({ draft: 2, baseHash: "h1" });
  });

  it("a stale save is a conflict: saving stops and the state says so", async () => {
    const { scheduler, server, saver, edit, status } = setUp();
    edit();
    scheduler.fire();
    server.calls[0]!.answer({ type: "conflict", message: "changed in another tab" });
    await flushPromises();
    expect(status()).toBe("conflict");
    expect(saver.getState().message).toBe("changed in another tab");
    edit();
    expect(scheduler.pending()).toHaveLength(0);
    expect(await saver.flush()).toBe(false);
    expect(server.calls).toHaveLength(1);
  });

  it("a failed save is retried later, and says it failed meanwhile", async () => {
    const { scheduler, server, edit, status } = setUp();
    edit();
    scheduler.fire();
    server.calls[0]!.answer({ type: "failed", message: "offline" });
    await flushPromises();
    expect(status()).toBe("error");
    expect(scheduler.pending()).toEqual([expect.objectContaining({ ms: 5000 })]);
    scheduler.fire();
    expect(server.calls[1]).toMatchObject({ draft: 1, baseHash: "h0" });
  });

  it("flush saves at once and tells when everything is saved", async () => {
    const { server, saver, edit } = setUp();
    edit();
    const flushed = saver.flush();
    await flushPromises();
    server.calls[0]!.answer({ type: "saved", hash: "h1", unpublishedChanges: false });
    expect(await flushed).toBe(true);
    expect(saver.getState().unpublishedChanges).toBe(false);
  });
});
