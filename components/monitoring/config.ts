import { z } from "zod";
import { ARCHITECTURES, OS_RESERVE_MIB } from "../shared/instance-types";
import type { HostRequirement } from "../shared/host/config";
import { COMPOSE_PLUGIN, monitoringHostMinimumMemoryMiB } from "./catalog";

/** `data-platform:monitoring`. */
export const monitoringSchema = z.boolean().default(false).describe("build the monitoring host");

/** What the monitoring host's instance type must offer: the catalog's memory limits plus the OS. */
export const MONITORING_HOST: HostRequirement = {
    key: "monitoringInstanceType",
    vcpus: 2,
    memoryMiB: monitoringHostMinimumMemoryMiB(),
    what: `the monitoring containers' memory limits add up to ${monitoringHostMinimumMemoryMiB() - OS_RESERVE_MIB} MiB, plus ${OS_RESERVE_MIB} MiB for the OS`,
    // Every catalog image publishes linux/amd64 and linux/arm64; the Compose plugin is pinned for both.
    architectures: ARCHITECTURES.filter((architecture) => COMPOSE_PLUGIN.sha256[architecture] !== undefined),
    architectureReason: (architecture) => `no pinned sha256 for the Docker Compose plugin ${COMPOSE_PLUGIN.version} on ${architecture}`,
};
