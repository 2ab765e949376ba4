/**
 * The PR report (`npm run plan -- --stack S --base BASE.json --markdown FILE`): pure functions over two
 * plan documents (DESIGN.md interface 1), the PR's base and its head.
 *
 *   diff.ts          what changed: resources (replacements, renames), cost by tier and type, violations
 *   replacements.ts  which input changes force a replacement, per resource type (provider knowledge)
 *   markdown.ts      the report; mermaid.ts the diagram of the change; names.ts nouns for types
 *   document.ts      reading and checking a plan document
 */
export type { PlanDiff, ResourceChange, CostDiff } from "./diff";
export { diffPlans } from "./diff";
export { PlanDocumentError, parsePlanDocument, planDocumentProblem, readPlanDocument } from "./document";
export { renderReport } from "./markdown";
export { REPLACEMENT_RULES, replacementOf } from "./replacements";
