import { memo } from "react";
import { TemplateField } from "@/components/editor/template-field";
import { VariantsField } from "@/components/editor/variants-field";
import { TEXT_LIMITS } from "@/workflows/nodes/index";
import { type CardProps, StepCard, VariantShares } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function MessageInspector(props: InspectorProps) {
  const { nodeId, config, errors, setConfig, preview, customFields, readOnly } = props;
  return (
    <VariantsField
      id={`${nodeId}-message`}
      path="variants"
      noun="Message"
      value={config.variants}
      minimum={1}
      errors={errors}
      disabled={readOnly}
      onChange={(variants, field) => setConfig({ ...config, variants }, field)}
      newVariant={(id, copyOf) => ({
        id,
        weight: 1,
        text: typeof copyOf?.text === "string" ? copyOf.text : "",
      })}
      renderVariant={(variant, _index, update, label) => (
        <TemplateField
          id={`${nodeId}-message-${variant.id}`}
          label={label === "Message" ? "Message" : `Message, ${label.toLowerCase()}`}
          value={variant.text}
          limit={TEXT_LIMITS.message}
          rows={6}
          onChange={(text) => update({ text }, "text")}
          preview={preview}
          customFields={customFields}
          disabled={readOnly}
        />
      )}
    />
  );
}

const MessageCard = memo(function MessageCard(props: CardProps) {
  const config = props.data.config as { variants?: unknown } | null;
  return (
    <StepCard {...props}>
      <VariantShares variants={config?.variants} />
    </StepCard>
  );
});

export const messageView: KindView = { Card: MessageCard, Inspector: MessageInspector };
