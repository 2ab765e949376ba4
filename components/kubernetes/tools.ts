import { ARCHITECTURES, Architecture } from "../shared/instance-types";

/**
 * Tool versions of the Kubernetes host, each pinned with the vendor's published sha256 per
 * architecture. A checksum is only recorded where a published value was found; an architecture
 * missing one for any tool is not offered for the host (config refuses its instance types).
 *
 * - minikube v1.37.0 linux-amd64: the release's binary checksum. linux-arm64: no published value
 *   could be verified, so the Kubernetes host stays on x86_64.
 * - kubectl v1.34.1: `https://dl.k8s.io/release/v1.34.1/bin/linux/<arch>/kubectl.sha256`.
 * - Helm v3.19.0: the `.sha256sum` next to `helm-v3.19.0-linux-<arch>.tar.gz`.
 * - The ArgoCD CLI is pinned by version and checked at boot against `cli_checksums.txt` of the
 *   same release (no checksum recorded here); the chart is pinned by version.
 *
 * minikube 1.37.0 defaults to Kubernetes v1.34.0; kubectl stays on that minor.
 */
export const KUBERNETES_TOOLS = {
    minikube: {
        version: "v1.37.0",
        sha256: { x86_64: "d5cf561c71171152ff67d799f041ac0f65c235c87a1e9fc02a6a17b8226214d0" } as Partial<Record<Architecture, string>>,
    },
    kubernetes: { version: "v1.34.0" },
    kubectl: {
        version: "v1.34.1",
        sha256: {
            x86_64: "7721f265e18709862655affba5343e85e1980639395d5754473dafaadcaa69e3",
            arm64: "420e6110e3ba7ee5a3927b5af868d18df17aae36b720529ffa4e9e945aa95450",
        } as Partial<Record<Architecture, string>>,
    },
    helm: {
        version: "v3.19.0",
        sha256: {
            x86_64: "a7f81ce08007091b86d8bd696eb4d86b8d0f2e1b9f6c714be62f82f96a594496",
            arm64: "440cf7add0aee27ebc93fada965523c1dc2e0ab340d4348da2215737fc0d76ad",
        } as Partial<Record<Architecture, string>>,
    },
    /** Chart argo-cd 8.5.0 ships ArgoCD v3.1.5; the CLI matches the server. */
    argocd: { version: "v3.1.5", chartVersion: "8.5.0" },
} as const;

/** The tools downloaded as checksum-pinned files. */
export const PINNED_KUBERNETES_TOOLS = ["minikube", "kubectl", "helm"] as const;

/** Go/Kubernetes architecture names used in the download URLs. */
export const GO_ARCH: Readonly<Record<Architecture, string>> = { x86_64: "amd64", arm64: "arm64" };

/** Tools without a pinned checksum for an architecture. */
export function missingKubernetesChecksums(architecture: Architecture): string[] {
    return PINNED_KUBERNETES_TOOLS.filter((tool) => KUBERNETES_TOOLS[tool].sha256[architecture] === undefined).map(
        (tool) => `${tool} ${KUBERNETES_TOOLS[tool].version} linux/${GO_ARCH[architecture]}`,
    );
}

/** Architectures the Kubernetes host can run: every pinned tool has a checksum for it. */
export const KUBERNETES_ARCHITECTURES: readonly Architecture[] = ARCHITECTURES.filter((arch) => missingKubernetesChecksums(arch).length === 0);

/** The pinned checksum of a tool for an architecture; throws when none is recorded (config refuses such hosts first). */
export function kubernetesToolSha256(tool: (typeof PINNED_KUBERNETES_TOOLS)[number], architecture: Architecture): string {
    const sha = KUBERNETES_TOOLS[tool].sha256[architecture];
    if (sha === undefined) throw new Error(`no pinned sha256 for ${tool} ${KUBERNETES_TOOLS[tool].version} on ${architecture}`);
    return sha;
}
