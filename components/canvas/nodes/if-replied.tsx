import { memo } from "react";
import { type CardProps, StepCard } from "../node-card";
import { ConditionWindow } from "./condition-window";
import type { InspectorProps, KindView } from "./types";

function IfRepliedInspector(props: InspectorProps) {
  return (
    <ConditionWindow
      {...props}
      label="Days to wait for a reply"
      explanation="Counted from the last note, message or InMail sent on the lead's path. A reply sends the lead by “Replied” at once; otherwise it leaves by “No reply” when the days are up."
    />
  );
}

const IfRepliedCard = memo(function IfRepliedCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const ifRepliedView: KindView = { Card: IfRepliedCard, Inspector: IfRepliedInspector };
