export const PROJECT = "data-platform";
export const MANAGED_BY = "pulumi";

/** Tier names: the `Tier` tag, component type tokens and report grouping all use these. */
export type TierName =
    | "platform"
    | "network"
    | "firewall"
    | "identity"
    | "encryption"
    | "data-lake"
    | "etl"
    | "registry"
    | "containers"
    | "kubernetes"
    | "monitoring"
    | "schedule"
    | "secrets"
    | "local"
    | "database"
    | "cache"
    | "streaming"
    | "edge"
    | "audit";

export type Tags = Record<string, string>;

/**
 * The naming and tagging context every tier receives. Tags are passed explicitly
 * to every taggable resource: provider default tags are invisible to the mock
 * runtime and to the offline policy run.
 */
export class Naming {
    constructor(readonly environment: string) {}

    /** Physical name `${environment}-<purpose>`, as in the seeds. */
    name(purpose: string): string {
        return `${this.environment}-${purpose}`;
    }

    tags(tier: TierName, purpose: string, extra: Tags = {}): Tags {
        return {
            Name: this.name(purpose),
            Environment: this.environment,
            Project: PROJECT,
            ManagedBy: MANAGED_BY,
            Tier: tier,
            ...extra,
        };
    }
}

/** Component type token `data-platform:<tier>:<Name>`. */
export function componentType(tier: TierName, name: string): string {
    return `${PROJECT}:${tier}:${name}`;
}
