import { memo } from "react";
import { type CardProps, StepCard } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function VisitInspector(_props: InspectorProps) {
  return (
    <p className="text-sm text-slate-700">
      Nothing to set. The visit also refreshes what Outflow knows about the lead (connection degree,
      Premium, Open Profile), which later InMail steps use.
    </p>
  );
}

const VisitCard = memo(function VisitCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const visitView: KindView = { Card: VisitCard, Inspector: VisitInspector };
