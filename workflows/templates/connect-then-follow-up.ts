import { buildGraph } from "../graph/index";

/** Warm up with a visit, invite with a note, then follow up with connections who accept. */
export const connectThenFollowUp = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 200 })
  .node(
    "connect",
    "connect",
    {
      noteVariants: [
        {
          id: "a",
          weight: 1,
          text: "Hi {{firstName|there}}, I enjoyed reading about what {{company|your team}} is building. I'd be glad to connect.",
        },
      ],
    },
    { x: 0, y: 400 },
  )
  .node("accepted", "if_accepted", { withinDays: 7 }, { x: 0, y: 600 })
  .node(
    "thanks",
    "message",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          text: "Thanks for connecting, {{firstName|there}}! I work with teams like {{company|yours}} on their outbound. Would a 15-minute call next week be useful?",
        },
      ],
    },
    { x: -200, y: 800 },
  )
  .node("pause", "wait", { amount: 3, unit: "days", workingDaysOnly: false }, { x: -200, y: 1000 })
  .node("replied", "if_replied", { withinDays: 5 }, { x: -200, y: 1200 })
  .node("end-replied", "end", { outcome: "replied" }, { x: -400, y: 1400 })
  .node("end-no-answer", "end", { outcome: "no answer" }, { x: 0, y: 1400 })
  .node("end-not-connected", "end", { outcome: "not connected" }, { x: 200, y: 800 })
  .chain("start", "visit", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("accepted", "no", "end-not-connected")
  .chain("thanks", "pause", "replied")
  .edge("replied", "yes", "end-replied")
  .edge("replied", "no", "end-no-answer")
  .build();
