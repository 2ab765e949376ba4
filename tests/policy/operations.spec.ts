import { describeCases } from "../fixtures/policy-harness";
import { operationsCases } from "../fixtures/policy-cases";

// Violating and compliant cases for the operations rules, evaluated as the engine calls them.
describe("policy: operations rules", () => describeCases(operationsCases));
