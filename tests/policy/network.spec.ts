import { describeCases } from "../fixtures/policy-harness";
import { networkCases } from "../fixtures/policy-cases";

// Violating and compliant cases for the network rules, evaluated as the engine calls them.
describe("policy: network rules", () => describeCases(networkCases));
