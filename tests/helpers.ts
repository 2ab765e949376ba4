// Moved to tests/support/helpers.ts; kept for tests/policy-stacks.spec.ts until the lead moves it.
export * from "./support/helpers";
