import type { NodeCheckContext, NodeIssue } from "./definition";
import { formatCount } from "./limits";
import { analyseTemplate } from "./template";

/**
 * Checks one templated text against a LinkedIn limit. The real check happens at send time on
 * the text rendered for the lead; here we can only bound it: an error when the text around the
 * variables is already too long, a warning when long names could push it over.
 */
export function checkTemplatedText(
  text: string,
  field: { name: string; limit: number },
  context: NodeCheckContext,
): NodeIssue[] {
  const analysis = analyseTemplate(text, context.template);
  const issues: NodeIssue[] = analysis.problems.map((problem) => ({
    severity: "error",
    code: problem.code,
    message: `${field.name}: ${problem.message}`,
  }));
  const limit = formatCount(field.limit);
  if (analysis.literalLength > field.limit) {
    const length = formatCount(analysis.literalLength);
    issues.push({
      severity: "error",
      code: "text_too_long",
      message:
        analysis.variables.length === 0
          ? `${field.name} is ${length} characters; LinkedIn allows ${limit}.`
          : `${field.name} is ${length} characters even before variables are filled in; LinkedIn allows ${limit}.`,
    });
  } else if (analysis.worstCaseLength > field.limit) {
    issues.push({
      severity: "warning",
      code: "text_may_exceed_limit",
      message: `${field.name} can reach ${formatCount(analysis.worstCaseLength)} characters for a lead with long ${analysis.variables.map((name) => `{{${name}}}`).join(", ")}; LinkedIn allows ${limit}. Each lead’s text is checked again before sending.`,
    });
  }
  return issues;
}

/** The longest a text can get with plausible lead values, for card summaries. */
export function worstCaseLength(text: string, context?: NodeCheckContext): number {
  return analyseTemplate(text, context?.template).worstCaseLength;
}
