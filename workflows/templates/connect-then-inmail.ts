import { buildGraph } from "../graph/index";

/** Invite first (free); spend InMail credits only on leads who leave the invitation pending. */
export const connectThenInMail = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node(
    "connect",
    "connect",
    {
      noteVariants: [
        {
          id: "a",
          weight: 1,
          text: "Hi {{firstName|there}}, I'm reaching out to a few people in {{title|your role}} roles. Happy to connect?",
        },
      ],
    },
    { x: 0, y: 200 },
  )
  .node("accepted", "if_accepted", { withinDays: 7 }, { x: 0, y: 400 })
  .node(
    "thanks",
    "message",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          text: "Thanks for accepting, {{firstName|there}}. Curious how {{company|your team}} handles outreach today: open to comparing notes?",
        },
      ],
    },
    { x: -250, y: 600 },
  )
  .node("replied-to-message", "if_replied", { withinDays: 5 }, { x: -250, y: 800 })
  .node(
    "inmail",
    "inmail",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          subject: "Quick question, {{firstName|there}}",
          body: "Hi {{firstName|there}}, I sent you an invitation last week and thought a direct note might be easier. We help teams like {{company|yours}} book more meetings from LinkedIn. Worth a short call?",
        },
      ],
      firstDegree: "send_message",
    },
    { x: 250, y: 600 },
  )
  .node("replied-to-inmail", "if_replied", { withinDays: 10 }, { x: 250, y: 800 })
  .node("end-replied", "end", { outcome: "replied" }, { x: -200, y: 1000 })
  .node("end-no-answer", "end", { outcome: "no answer" }, { x: 200, y: 1000 })
  .node("end-not-sent", "end", { outcome: "InMail not sent" }, { x: 500, y: 800 })
  .chain("start", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("accepted", "no", "inmail")
  .chain("thanks", "replied-to-message")
  .edge("replied-to-message", "yes", "end-replied")
  .edge("replied-to-message", "no", "end-no-answer")
  .edge("inmail", "sent", "replied-to-inmail")
  .edge("inmail", "not_sent", "end-not-sent")
  .edge("replied-to-inmail", "yes", "end-replied")
  .edge("replied-to-inmail", "no", "end-no-answer")
  .build();
