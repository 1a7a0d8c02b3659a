/**
 * Debounced autosave of the draft with a compare-and-swap on its content hash. Each save sends
 * the hash the editor's copy started from; the server refuses it (409) when another tab saved
 * in between, and the editor then stops saving and offers to reload. One save at a time: edits
 * made while a save is in flight are sent after it, from the hash it returned.
 */
export type SaveStatus = "saved" | "saving" | "unsaved" | "conflict" | "error";

export type SaveResponse =
  | { type: "saved"; hash: string; unpublishedChanges: boolean }
  | { type: "conflict"; message: string }
  | { type: "failed"; message: string };

export interface AutosaveState {
  status: SaveStatus;
  /** The draft hash the next save starts from. */
  baseHash: string;
  message: string | null;
  unpublishedChanges: boolean;
  savedAt: number | null;
}

/** Runs `task` after `ms`; answers a function that cancels it. */
export type Scheduler = (task: () => void, ms: number) => () => void;

const realScheduler: Scheduler = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

export const AUTOSAVE_DELAY_MS = 800;
export const RETRY_DELAY_MS = 5000;

export interface Autosaver {
  /** The document changed: save it after the delay. */
  changed(): void;
  /** Saves now if anything is unsaved; true once everything is saved. */
  flush(): Promise<boolean>;
  getState(): AutosaveState;
  dispose(): void;
}

export function createAutosaver<Draft>(options: {
  baseHash: string;
  unpublishedChanges: boolean;
  read: () => Draft;
  save: (draft: Draft, baseHash: string) => Promise<SaveResponse>;
  onState: (state: AutosaveState) => void;
  delayMs?: number;
  retryDelayMs?: number;
  schedule?: Scheduler;
  now?: () => number;
}): Autosaver {
  const schedule = options.schedule ?? realScheduler;
  const now = options.now ?? (() => Date.now());
  let state: AutosaveState = {
    status: "saved",
    baseHash: options.baseHash,
    message: null,
    unpublishedChanges: options.unpublishedChanges,
    savedAt: null,
  };
  let dirty = false;
  let cancelTimer: (() => void) | null = null;
  let inFlight: Promise<void> | null = null;
  let disposed = false;

  const update = (change: Partial<AutosaveState>) => {
    state = { ...state, ...change };
    if (!disposed) options.onState(state);
  };
  const stopTimer = () => {
    cancelTimer?.();
    cancelTimer = null;
  };
  const later = (ms: number) => {
    stopTimer();
    cancelTimer = schedule(() => {
      cancelTimer = null;
      void run();
    }, ms);
  };

  async function run(): Promise<void> {
    if (disposed || state.status === "conflict" || !dirty) return;
    if (inFlight) return inFlight.then(run);
    dirty = false;
    update({ status: "saving", message: null });
    const draft = options.read();
    inFlight = (async () => {
      let response: SaveResponse;
      try {
        response = await options.save(draft, state.baseHash);
      } catch (error) {
        response = {
          type: "failed",
          message: error instanceof Error ? error.message : String(error),
        };
      }
      if (response.type === "conflict") {
        dirty = true;
        stopTimer();
        update({ status: "conflict", message: response.message });
        return;
      }
      if (response.type === "failed") {
        dirty = true;
        update({ status: "error", message: response.message });
        later(options.retryDelayMs ?? RETRY_DELAY_MS);
        return;
      }
      update({
        status: dirty ? "unsaved" : "saved",
        baseHash: response.hash,
        unpublishedChanges: response.unpublishedChanges,
        savedAt: now(),
      });
    })();
    try {
      await inFlight;
    } finally {
      inFlight = null;
    }
    // Edits made during the save go out right after it.
    if (dirty && state.status === "unsaved") later(0);
  }

  return {
    changed() {
      if (disposed || state.status === "conflict") return;
      dirty = true;
      if (state.status !== "saving") update({ status: "unsaved" });
      later(options.delayMs ?? AUTOSAVE_DELAY_MS);
    },
    async flush() {
      stopTimer();
      if (inFlight) await inFlight;
      if (dirty) await run();
      return !dirty && state.status === "saved";
    },
    getState: () => state,
    dispose() {
      disposed = true;
      stopTimer();
    },
  };
}
