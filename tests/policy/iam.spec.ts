import { describeCases } from "../fixtures/policy-harness";
import { iamCases } from "../fixtures/policy-cases";

// Violating and compliant cases for the iam rules, evaluated as the engine calls them.
describe("policy: iam rules", () => describeCases(iamCases));
