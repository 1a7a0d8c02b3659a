import { buildGraph } from "../graph/index";

/** For a short list of high-value leads: a visit, an InMail, one follow-up if they stay quiet. */
export const vipInMail = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 200 })
  .node(
    "inmail",
    "inmail",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          subject: "An idea for {{company|your team}}",
          body: "Hi {{firstName|there}}, I've followed {{company|your company}}'s growth for a while and have one concrete idea for your {{title|team}} agenda. Could I share it in a 15-minute call?",
        },
      ],
      firstDegree: "send_message",
    },
    { x: 0, y: 400 },
  )
  .node("replied", "if_replied", { withinDays: 10 }, { x: 0, y: 600 })
  .node(
    "follow-up",
    "inmail",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          subject: "Following up, {{firstName|there}}",
          body: "Hi {{firstName|there}}, just bringing my note back to the top of your inbox. If now isn't the right time, a one-word reply is perfectly fine.",
        },
      ],
      firstDegree: "send_message",
    },
    { x: 200, y: 800 },
  )
  .node("replied-to-follow-up", "if_replied", { withinDays: 10 }, { x: 200, y: 1000 })
  .node("end-replied", "end", { outcome: "replied" }, { x: -200, y: 1200 })
  .node("end-no-answer", "end", { outcome: "no answer" }, { x: 200, y: 1200 })
  .node("end-not-sent", "end", { outcome: "InMail not sent" }, { x: 450, y: 1000 })
  .chain("start", "visit", "inmail")
  .edge("inmail", "sent", "replied")
  .edge("inmail", "not_sent", "end-not-sent")
  .edge("replied", "yes", "end-replied")
  .edge("replied", "no", "follow-up")
  .edge("follow-up", "sent", "replied-to-follow-up")
  .edge("follow-up", "not_sent", "end-not-sent")
  .edge("replied-to-follow-up", "yes", "end-replied")
  .edge("replied-to-follow-up", "no", "end-no-answer")
  .build();
