/**
 * How each kind looks, joined to the one list of kinds: the canvas takes its `nodeTypes` from
 * here and the inspector its forms. What a kind *is* lives in workflows/nodes/<kind>.
 */
import type { NodeTypes } from "@xyflow/react";
import type { NodeKind } from "@/workflows/nodes/index";
import { connectView } from "./connect";
import { endView } from "./end";
import { followView } from "./follow";
import { ifAcceptedView } from "./if-accepted";
import { ifRepliedView } from "./if-replied";
import { inmailView } from "./inmail";
import { likePostView } from "./like-post";
import { messageView } from "./message";
import { startView } from "./start";
import type { KindView } from "./types";
import { visitView } from "./visit";
import { waitView } from "./wait";

export const kindViews: { readonly [Kind in NodeKind]: KindView } = {
  start: startView,
  visit: visitView,
  follow: followView,
  connect: connectView,
  message: messageView,
  inmail: inmailView,
  like_post: likePostView,
  wait: waitView,
  if_accepted: ifAcceptedView,
  if_replied: ifRepliedView,
  end: endView,
};

/** React Flow's node types: one memoized card component per kind. */
export const nodeTypes: NodeTypes = Object.fromEntries(
  Object.entries(kindViews).map(([kind, view]) => [kind, view.Card]),
) as NodeTypes;

export type { InspectorProps, KindView } from "./types";
