"use client";
import { BaseEdge, type EdgeProps, getSmoothStepPath } from "@xyflow/react";
import { useEditor } from "@/components/editor/store-context";

/** How far (px) a card's handle may sit from the end of its laid-out route and still use it. */
const TOLERANCE = 12;

const near = (a: { x: number; y: number }, x: number, y: number) =>
  Math.abs(a.x - x) <= TOLERANCE && Math.abs(a.y - y) <= TOLERANCE;

/**
 * A connection drawn along auto-layout's route (round the cards, never behind one) while both
 * its ends are where the layout put them; once a card moves, a plain orthogonal line.
 */
export function RoutedEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const route = useEditor((state) => state.routes.get(id));
  const first = route?.points[0];
  const last = route?.points[route.points.length - 1];
  let path: string;
  if (route && first && last && near(first, sourceX, sourceY) && near(last, targetX, targetY)) {
    // Snap the ends to the handles, keep the bends: a straight first and last leg.
    const inner = route.points.slice(1, -1);
    const points = [{ x: sourceX, y: sourceY }, ...inner, { x: targetX, y: targetY }];
    // Legs that were vertical stay vertical once the ends moved a pixel or two.
    if (points.length > 2) {
      points[1] = {
        x: Math.abs(points[1]!.x - first.x) < 1 ? sourceX : points[1]!.x,
        y: points[1]!.y,
      };
      const beforeLast = points.length - 2;
      points[beforeLast] = {
        x: Math.abs(points[beforeLast]!.x - last.x) < 1 ? targetX : points[beforeLast]!.x,
        y: points[beforeLast]!.y,
      };
    }
    path = points
      .map((point, index) => `${index === 0 ? "M" : "L"} ${point.x} ${point.y}`)
      .join(" ");
  } else {
    [path] = getSmoothStepPath({
      sourceX,
      sourceY,
      targetX,
      targetY,
      sourcePosition,
      targetPosition,
    });
  }
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={props.markerEnd}
      markerStart={props.markerStart}
      style={props.style}
      interactionWidth={props.interactionWidth}
    />
  );
}

export const edgeTypes = { routed: RoutedEdge };
