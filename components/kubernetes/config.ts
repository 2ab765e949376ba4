import { z } from "zod";
import { MINIKUBE_MIN_MEMORY_MIB, MINIKUBE_MIN_VCPUS, OS_RESERVE_MIB } from "../shared/instance-types";
import type { HostRequirement } from "../shared/host/config";
import { KUBERNETES_ARCHITECTURES, missingKubernetesChecksums } from "./tools";

// "eks" joins this list when the EKS tier lands; until then asking for it is a config error, not a silent no-op.
export const KUBERNETES_MODES = ["none", "minikube"] as const;
export type KubernetesMode = (typeof KUBERNETES_MODES)[number];

/** `data-platform:kubernetes`. */
export const kubernetesSchema = z.enum(KUBERNETES_MODES).default("none").describe("Kubernetes host: none or minikube");

/** What the minikube host's instance type must offer. */
export const MINIKUBE_HOST: HostRequirement = {
    key: "kubernetesInstanceType",
    vcpus: MINIKUBE_MIN_VCPUS,
    memoryMiB: MINIKUBE_MIN_MEMORY_MIB + OS_RESERVE_MIB,
    what: `minikube needs ${MINIKUBE_MIN_VCPUS} vCPUs and ${MINIKUBE_MIN_MEMORY_MIB} MiB, plus ${OS_RESERVE_MIB} MiB for the OS`,
    architectures: KUBERNETES_ARCHITECTURES,
    architectureReason: (architecture) => `no pinned sha256 for ${missingKubernetesChecksums(architecture).join(", ")}`,
};
