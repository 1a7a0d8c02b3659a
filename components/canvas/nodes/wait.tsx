import { memo } from "react";
import { CheckboxField, NumberField, SelectField } from "@/components/editor/fields";
import { MAX_WAIT_DAYS } from "@/workflows/nodes/index";
import { type CardProps, StepCard } from "../node-card";
import type { InspectorProps, KindView } from "./types";

function WaitInspector({ nodeId, config, errors, setField, readOnly }: InspectorProps) {
  return (
    <div className="space-y-3">
      <div className="grid grid-cols-2 gap-3">
        <NumberField
          id={`${nodeId}-amount`}
          label="Duration"
          value={config.amount}
          min={1}
          onChange={(amount) => setField("amount", amount)}
          errors={errors.amount}
          disabled={readOnly}
        />
        <SelectField
          id={`${nodeId}-unit`}
          label="Unit"
          value={config.unit}
          options={[
            { value: "hours", label: "Hours" },
            { value: "days", label: "Days" },
          ]}
          onChange={(unit) => setField("unit", unit)}
          errors={errors.unit}
          disabled={readOnly}
        />
      </div>
      <CheckboxField
        id={`${nodeId}-working-days`}
        label="Count working days only (Monday to Friday)"
        checked={config.workingDaysOnly}
        onChange={(checked) => setField("workingDaysOnly", checked)}
        errors={errors.workingDaysOnly}
        hint={`At most ${MAX_WAIT_DAYS} days. Sends still happen only inside the account's working hours.`}
        disabled={readOnly}
      />
    </div>
  );
}

const WaitCard = memo(function WaitCard(props: CardProps) {
  return <StepCard {...props} />;
});

export const waitView: KindView = { Card: WaitCard, Inspector: WaitInspector };
