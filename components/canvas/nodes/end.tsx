import { memo } from "react";
import { TextInputField } from "@/components/editor/fields";
import { SUGGESTED_OUTCOMES } from "@/workflows/nodes/index";
import { type CardProps, StepCard } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function EndInspector({ nodeId, config, errors, setField, readOnly }: InspectorProps) {
  const list = `${nodeId}-outcomes`;
  return (
    <div>
      <TextInputField
        id={`${nodeId}-outcome`}
        label="Outcome"
        value={config.outcome}
        list={list}
        maxLength={60}
        onChange={(outcome) => setField("outcome", outcome)}
        errors={errors.outcome}
        hint="The label results show for leads who end here."
        disabled={readOnly}
      />
      <datalist id={list}>
        {SUGGESTED_OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome} />
        ))}
      </datalist>
    </div>
  );
}

const EndCard = memo(function EndCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const endView: KindView = { Card: EndCard, Inspector: EndInspector };
