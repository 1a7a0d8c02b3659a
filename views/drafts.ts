// What the campaign editor shows: the draft it opens, the publish preview and its result.
// Plain types: the server's draft operations return them, components/editor/ renders them.

import type { Diagnostic, DraftGraph, StrandedReason } from "@/workflows/graph/index";
import type { TemplateLead } from "@/workflows/nodes/index";

export interface SampleLead {
  label: string;
  lead: TemplateLead;
}

export interface EditorData {
  campaign: { id: string; name: string; status: string };
  graph: DraftGraph;
  draftHash: string;
  /** The schema version the saved draft was upgraded from, when it was older. */
  migratedFrom: number | null;
  /** Why the saved draft could not be opened; the editor then shows `graph` in its place. */
  problem: string | null;
  live: { id: string; version: number; publishedAt: string } | null;
  unpublishedChanges: boolean;
  sampleLeads: SampleLead[];
  customFields: string[];
  canEdit: boolean;
}

export interface StepRef {
  nodeId: string;
  /** "Wait 3 days", "Connect · note 120/300": what the step does, as its card says. */
  label: string;
}

export interface PublishPreview {
  draftHash: string;
  /** Errors block publishing; the editor shows them in its checklist too. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  unpublishedChanges: boolean;
  nextVersion: number;
  liveVersion: number | null;
  /** Leads in flight (active in the campaign), all versions together. */
  inFlight: number;
  /** Leads a worker is stepping right now: publishing waits for them. */
  busy: number;
  staying: Array<StepRef & { count: number }>;
  stranded: Array<
    StepRef & {
      count: number;
      reason: StrandedReason;
      oldKind: string | null;
      newKind: string | null;
    }
  >;
  /** Steps of the new version stranded leads may be moved to. */
  targets: StepRef[];
}

export interface PublishResult {
  versionId: string;
  version: number;
  leads: { stayed: number; moved: number; ended: number };
}
