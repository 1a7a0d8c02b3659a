import { memo } from "react";
import { type CardProps, StepCard } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function FollowInspector(_props: InspectorProps) {
  return (
    <p className="text-sm text-slate-700">
      Nothing to set. Following is a light touch: the lead is notified, and your posts show in their
      feed.
    </p>
  );
}

const FollowCard = memo(function FollowCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const followView: KindView = { Card: FollowCard, Inspector: FollowInspector };
