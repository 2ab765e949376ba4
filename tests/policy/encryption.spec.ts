import { describeCases } from "../fixtures/policy-harness";
import { encryptionCases } from "../fixtures/policy-cases";

// Violating and compliant cases for the encryption rules, evaluated as the engine calls them.
describe("policy: encryption rules", () => describeCases(encryptionCases));
