import { memo } from "react";
import { CheckboxField } from "@/components/editor/fields";
import { TemplateField } from "@/components/editor/template-field";
import { VariantsField } from "@/components/editor/variants-field";
import { TEXT_LIMITS } from "@/workflows/nodes/index";
import { type CardProps, StepCard, VariantShares } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function ConnectInspector(props: InspectorProps) {
  const { nodeId, config, errors, setField, setConfig, preview, customFields, readOnly } = props;
  return (
    <div className="space-y-4">
      <VariantsField
        id={`${nodeId}-note`}
        path="noteVariants"
        noun="Note"
        value={config.noteVariants}
        minimum={0}
        errors={errors}
        disabled={readOnly}
        onChange={(noteVariants, field) => setConfig({ ...config, noteVariants }, field)}
        newVariant={(id, copyOf) => ({
          id,
          weight: 1,
          text: typeof copyOf?.text === "string" ? copyOf.text : "",
        })}
        empty={
          <p className="text-sm text-slate-700">
            No note: invitations go without one. A short note often gets more acceptances.
          </p>
        }
        renderVariant={(variant, _index, update, label) => (
          <TemplateField
            id={`${nodeId}-note-${variant.id}`}
            label={label === "Note" ? "Invitation note" : `Note, ${label.toLowerCase()}`}
            value={variant.text}
            limit={TEXT_LIMITS.connectNote}
            onChange={(text) => update({ text }, "text")}
            preview={preview}
            customFields={customFields}
            disabled={readOnly}
          />
        )}
      />
      <CheckboxField
        id={`${nodeId}-skip-connected`}
        label="If already connected, move on to the next step"
        checked={config.skipIfConnected}
        onChange={(checked) => setField("skipIfConnected", checked)}
        errors={errors.skipIfConnected}
        hint="Unticked, a lead who is already a connection stops here."
        disabled={readOnly}
      />
    </div>
  );
}

const ConnectCard = memo(function ConnectCard(props: CardProps) {
  const config = props.data.config as { noteVariants?: unknown } | null;
  return (
    <StepCard {...props}>
      <VariantShares variants={config?.noteVariants} />
    </StepCard>
  );
});

export const connectView: KindView = { Card: ConnectCard, Inspector: ConnectInspector };
