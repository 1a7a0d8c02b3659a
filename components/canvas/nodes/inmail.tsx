import { memo } from "react";
import { SelectField } from "@/components/editor/fields";
import { TemplateField } from "@/components/editor/template-field";
import { VariantsField } from "@/components/editor/variants-field";
import { INMAIL_BODY_HINT_LENGTH, TEXT_LIMITS } from "@/workflows/nodes/index";
import { type CardProps, StepCard, VariantShares } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function InMailInspector(props: InspectorProps) {
  const { nodeId, config, errors, setField, setConfig, preview, customFields, readOnly } = props;
  return (
    <div className="space-y-4">
      <VariantsField
        id={`${nodeId}-inmail`}
        path="variants"
        noun="InMail"
        value={config.variants}
        minimum={1}
        errors={errors}
        disabled={readOnly}
        onChange={(variants, field) => setConfig({ ...config, variants }, field)}
        newVariant={(id, copyOf) => ({
          id,
          weight: 1,
          subject: typeof copyOf?.subject === "string" ? copyOf.subject : "",
          body: typeof copyOf?.body === "string" ? copyOf.body : "",
        })}
        renderVariant={(variant, _index, update, label) => {
          const suffix = label === "InMail" ? "" : `, ${label.toLowerCase()}`;
          return (
            <div className="space-y-3">
              <TemplateField
                id={`${nodeId}-subject-${variant.id}`}
                label={`Subject${suffix}`}
                value={variant.subject}
                limit={TEXT_LIMITS.inmailSubject}
                rows={1}
                onChange={(subject) => update({ subject }, "subject")}
                preview={preview}
                customFields={customFields}
                disabled={readOnly}
              />
              <TemplateField
                id={`${nodeId}-body-${variant.id}`}
                label={`Body${suffix}`}
                value={variant.body}
                limit={TEXT_LIMITS.inmailBody}
                softLimit={{
                  length: INMAIL_BODY_HINT_LENGTH,
                  message: `InMails under ${INMAIL_BODY_HINT_LENGTH} characters get more replies`,
                }}
                rows={6}
                onChange={(body) => update({ body }, "body")}
                preview={preview}
                customFields={customFields}
                disabled={readOnly}
              />
            </div>
          );
        }}
      />
      <SelectField
        id={`${nodeId}-first-degree`}
        label="When the lead is already a connection"
        value={config.firstDegree}
        options={[
          { value: "send_message", label: "Send the body as a free message (leaves by “Sent”)" },
          { value: "skip", label: "Send nothing (leaves by “Not sent”)" },
        ]}
        onChange={(firstDegree) => setField("firstDegree", firstDegree)}
        errors={errors.firstDegree}
        hint="LinkedIn does not deliver InMail to 1st-degree connections."
        disabled={readOnly}
      />
    </div>
  );
}

const InMailCard = memo(function InMailCard(props: CardProps) {
  const config = props.data.config as { variants?: unknown } | null;
  return (
    <StepCard {...props}>
      <VariantShares variants={config?.variants} />
    </StepCard>
  );
});

export const inmailView: KindView = { Card: InMailCard, Inspector: InMailInspector };
