import { memo } from "react";
import { RECENT_POST_DAYS } from "@/workflows/nodes/like-post";
import { type CardProps, StepCard } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function LikePostInspector(_props: InspectorProps) {
  return (
    <p className="text-sm text-slate-700">
      Nothing to set. The lead's latest post gets a like, a light touch they are notified of. Leads
      who posted nothing in the last {RECENT_POST_DAYS} days leave by “No post”.
    </p>
  );
}

const LikePostCard = memo(function LikePostCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const likePostView: KindView = { Card: LikePostCard, Inspector: LikePostInspector };
