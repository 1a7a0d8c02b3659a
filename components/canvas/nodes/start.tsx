import { memo } from "react";
import { type CardProps, StepCard } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function StartInspector(_props: InspectorProps) {
  return (
    <p className="text-sm text-slate-700">
      Every lead you add to the campaign enters here, and moves on at once to the step connected
      below.
    </p>
  );
}

const StartCard = memo(function StartCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const startView: KindView = { Card: StartCard, Inspector: StartInspector };
