import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, allPolicies } from "./policies";

// The only place the pack is constructed (starting it serves gRPC to the engine).
new PolicyPack(PACK_NAME, { policies: [...allPolicies] });
