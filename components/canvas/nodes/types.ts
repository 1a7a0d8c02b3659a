import type { ComponentType } from "react";
import type { FieldErrors } from "@/components/editor/model/fields";
import type { PreviewLead } from "@/components/editor/template-field";
import type { CardProps } from "../node-card";

/** What every kind's inspector form gets: its step's config and ways to change it. */
export interface InspectorProps {
  nodeId: string;
  /** The config as an object: a draft may hold anything, so fields are read defensively. */
  config: Record<string, unknown>;
  /** The kind's zod schema's messages, by field path ("variants.1.weight"). */
  errors: FieldErrors;
  /** Sets one top-level field; typing in the same field is grouped into one undo step. */
  setField(field: string, value: unknown): void;
  setConfig(config: Record<string, unknown>, field: string): void;
  preview: PreviewLead;
  customFields: readonly string[];
  readOnly: boolean;
}

/** How a kind looks: its card on the canvas and its form in the inspector. */
export interface KindView {
  Card: ComponentType<CardProps>;
  Inspector: ComponentType<InspectorProps>;
}
