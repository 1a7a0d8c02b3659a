"use client";
import {
  Background,
  Controls,
  type Edge,
  Handle,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  useEdgesState,
  useNodesState,
} from "@xyflow/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import "@xyflow/react/dist/style.css";
import type { CampaignDashboard, DashboardNode } from "@/views/dashboard";
import { integer } from "./format";

type GraphNodeData = {
  label: string;
  summary: string;
  colour: string;
  kind: string;
  counts: DashboardNode | null;
  /** The leads list filtered to this step's waiting leads. */
  leadsHref: string;
};

type StepNode = Node<GraphNodeData, "step">;

const CARD_WIDTH = 232;

/** Spreads a step's exits along its bottom edge, in the order the kind lists them. */
function exitLeft(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

function Count({ value, label, tone }: { value: number; label: string; tone?: string }) {
  return (
    <span className="whitespace-nowrap">
      <strong className={`tabular-nums ${tone ?? "text-slate-900"}`}>{integer(value)}</strong>{" "}
      <span className="text-slate-500">{label}</span>
    </span>
  );
}

/** One step of the published graph with its live counts. Read-only: no handles to drag. */
function StepCard({ data }: NodeProps<StepNode>) {
  const counts = data.counts;
  const exits = counts?.exits ?? [];
  const ended = (counts?.finished ?? 0) + (counts?.removed ?? 0);
  return (
    <div
      className="cursor-pointer rounded-lg border border-slate-300 bg-white text-left shadow-sm hover:border-brand-500"
      style={{ width: CARD_WIDTH }}
    >
      {data.kind !== "start" ? (
        <Handle
          type="target"
          position={Position.Top}
          isConnectable={false}
          className="!size-2 !border-0 !bg-slate-400"
        />
      ) : null}
      <div className="flex items-center gap-2 border-b border-slate-100 px-3 py-1.5">
        <span className="size-2.5 shrink-0 rounded-full" style={{ backgroundColor: data.colour }} />
        <span className="text-[11px] font-semibold uppercase tracking-wide text-slate-600">
          {data.label}
        </span>
      </div>
      <div className="px-3 pt-1.5 text-sm leading-snug text-slate-900" title={data.summary}>
        <span className="line-clamp-2">{data.summary}</span>
      </div>
      <div className="flex flex-wrap gap-x-3 gap-y-0.5 px-3 pb-2 pt-1.5 text-xs" data-counts="">
        <span data-count="waiting">
          {(counts?.waiting ?? 0) > 0 && data.kind !== "start" ? (
            <Link
              href={data.leadsHref}
              className="nodrag nopan rounded hover:underline"
              aria-label={`${integer(counts?.waiting ?? 0)} waiting at ${data.summary}: see these leads`}
            >
              <Count value={counts?.waiting ?? 0} label="waiting" tone="text-brand-700" />
            </Link>
          ) : (
            <Count value={counts?.waiting ?? 0} label="waiting" tone="text-brand-700" />
          )}
        </span>
        {data.kind === "end" ? (
          <span data-count="ended">
            <Count value={ended} label="ended" />
          </span>
        ) : (
          <span data-count="passed">
            <Count value={counts?.passed ?? 0} label="passed" />
          </span>
        )}
        <span data-count="failed">
          <Count
            value={counts?.failed ?? 0}
            label="failed"
            tone={(counts?.failed ?? 0) > 0 ? "text-red-700" : undefined}
          />
        </span>
      </div>
      {exits.length > 1 ? (
        <div className="flex border-t border-slate-100 text-[11px]">
          {exits.map((exit) => (
            <span
              key={exit.exit}
              data-exit={exit.exit}
              className="flex-1 px-2 py-1 text-center text-slate-600 [&:not(:first-child)]:border-l [&:not(:first-child)]:border-slate-100"
            >
              {exit.label}{" "}
              <strong className="tabular-nums text-slate-900">{integer(exit.count)}</strong>
            </span>
          ))}
        </div>
      ) : null}
      {(counts?.exits.length ? counts.exits : [{ exit: "next" }]).map((exit, index, all) =>
        data.kind === "end" ? null : (
          <Handle
            key={exit.exit}
            id={exit.exit}
            type="source"
            position={Position.Bottom}
            isConnectable={false}
            style={{ left: exitLeft(index, all.length) }}
            className="!size-2 !border-0 !bg-slate-400"
          />
        ),
      )}
    </div>
  );
}

const nodeTypes = { step: StepCard };

/** The leads list showing the leads of a campaign now at one step. */
export function stepLeadsHref(campaignId: string, nodeId: string): string {
  return `/leads?${new URLSearchParams({ campaign: campaignId, step: nodeId })}`;
}

function toNodes(dashboard: CampaignDashboard): StepNode[] {
  const counts = new Map(dashboard.nodes.map((n) => [n.nodeId, n]));
  return (dashboard.graph?.nodes ?? []).map((n) => ({
    id: n.id,
    type: "step",
    position: n.position,
    draggable: false,
    connectable: false,
    selectable: false,
    data: {
      label: n.label,
      summary: n.summary,
      colour: n.colour,
      kind: n.kind,
      counts: counts.get(n.id) ?? null,
      leadsHref: stepLeadsHref(dashboard.campaign.id, n.id),
    },
  }));
}

function toEdges(dashboard: CampaignDashboard): Edge[] {
  const counts = new Map(dashboard.nodes.map((n) => [n.nodeId, n]));
  return (dashboard.graph?.edges ?? []).map((e) => {
    const source = counts.get(e.source);
    const exit = source?.exits.find((x) => x.exit === e.sourceHandle);
    const taken = exit?.count ?? 0;
    const several = (source?.exits.length ?? 0) > 1;
    return {
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle,
      target: e.target,
      label: several ? `${exit?.label ?? e.sourceHandle} · ${integer(taken)}` : integer(taken),
      labelStyle: { fontSize: 11, fill: "#0f172a", fontWeight: 600 },
      labelBgStyle: { fill: "#f8fafc" },
      labelBgPadding: [4, 2] as [number, number],
      style: { stroke: taken > 0 ? "#64748b" : "#cbd5e1", strokeWidth: taken > 0 ? 1.75 : 1.25 },
      selectable: false,
      focusable: false,
    };
  });
}

/**
 * The published graph, read-only, at the positions it was drawn at: on every step the leads
 * waiting there, passed through and failed; on every connection how many took that exit.
 */
export function LiveGraph({ dashboard }: { dashboard: CampaignDashboard }) {
  const router = useRouter();
  const initialNodes = useMemo(() => toNodes(dashboard), [dashboard]);
  const initialEdges = useMemo(() => toEdges(dashboard), [dashboard]);
  const [nodes, setNodes] = useNodesState<StepNode>(initialNodes);
  const [edges, setEdges] = useEdgesState<Edge>(initialEdges);

  // New counts replace each step's data; React Flow keeps what it measured of the cards.
  useEffect(() => {
    setNodes((current) => {
      const fresh = new Map(initialNodes.map((n) => [n.id, n]));
      const kept = current.filter((n) => fresh.has(n.id));
      if (kept.length !== initialNodes.length) return initialNodes;
      return kept.map((n) => ({ ...n, data: fresh.get(n.id)!.data }));
    });
    setEdges(initialEdges);
  }, [initialNodes, initialEdges, setNodes, setEdges]);

  if (!dashboard.graph) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        Nothing is published yet: publish the workflow to see leads move through it.
      </p>
    );
  }
  return (
    <div className="h-[680px]" data-testid="live-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        zoomOnDoubleClick={false}
        // A click on a step lists the leads now there (the count is also a link, for keyboards).
        onNodeClick={(_, node) => {
          if (node.data.kind !== "start") router.push(node.data.leadsHref);
        }}
        fitView
        fitViewOptions={{ padding: 0.08 }}
        minZoom={0.2}
        maxZoom={1.5}
      >
        <Background gap={24} color="#e2e8f0" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
