import Box from "@cloudscape-design/components/box";
import ProgressBar from "@cloudscape-design/components/progress-bar";
import SpaceBetween from "@cloudscape-design/components/space-between";
import type { StepView } from "../../backend/contract/schemas.ts";
import { STEP_LABELS } from "./labels.ts";
import { StepStatusIndicator } from "./request-status.tsx";

export interface StepListProps {
  steps: StepView[];
}

/** Progress over the erasure steps and one line per step with its status and counts. */
export function StepList({ steps }: StepListProps) {
  if (steps.length === 0) return <Box color="text-status-inactive">No steps have started yet.</Box>;
  const done = steps.filter((step) => step.status === "succeeded").length;
  return (
    <SpaceBetween size="s">
      <ProgressBar
        label="Erasure progress"
        value={Math.round((done / steps.length) * 100)}
        additionalInfo={`${done} of ${steps.length} steps done`}
      />
      <ul className="ce-step-list" aria-label="Erasure steps">
        {steps.map((step) => (
          <li key={step.name}>
            <span className="ce-step-name">{STEP_LABELS[step.name]}</span>
            <StepStatusIndicator status={step.status} />
            {countsText(step.counts) && <span className="ce-step-counts">{countsText(step.counts)}</span>}
          </li>
        ))}
      </ul>
    </SpaceBetween>
  );
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([key, value]) => `${key}: ${value}`)
    .join(", ");
}
