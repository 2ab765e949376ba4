import { describeCases } from "../fixtures/policy-harness";
import { publicAccessCases } from "../fixtures/policy-cases";

// Violating and compliant cases for the public-access rules, evaluated as the engine calls them.
describe("policy: public-access rules", () => describeCases(publicAccessCases));
