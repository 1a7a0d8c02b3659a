import { memo } from "react";
import { type CardProps, StepCard } from "../node-card";
import { ConditionWindow } from "./condition-window";
import type { InspectorProps, KindView } from "./types";

function IfAcceptedInspector(props: InspectorProps) {
  return (
    <ConditionWindow
      {...props}
      label="Days to wait for acceptance"
      explanation="Counted from the last invitation on the lead's path. Leads who accept leave by “Accepted” as soon as they do; the others leave by “Not accepted” when the days are up."
    />
  );
}

const IfAcceptedCard = memo(function IfAcceptedCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const ifAcceptedView: KindView = { Card: IfAcceptedCard, Inspector: IfAcceptedInspector };
