import * as ipaddr from "ipaddr.js";

/** A network-aligned IPv4 CIDR as a numeric range. */
export interface Ipv4Range {
    readonly cidr: string;
    readonly first: number;
    readonly last: number;
    readonly prefix: number;
}

/** Parses `a.b.c.d/n` into a numeric range; undefined when not a network-aligned IPv4 CIDR. */
export function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) return undefined;
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
        parsed = ipaddr.parseCIDR(cidr);
    } catch {
        return undefined;
    }
    const [address, prefix] = parsed;
    if (address.kind() !== "ipv4") return undefined;
    const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
    if (network.toString() !== address.toString()) return undefined;
    const first = network.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
    const size = 2 ** (32 - prefix);
    return { cidr, first, last: first + size - 1, prefix };
}

export function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
    return inner.first >= outer.first && inner.last <= outer.last;
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
    return a.first <= b.last && b.first <= a.last;
}

/** True for any valid IPv4 or IPv6 CIDR. */
export function isCidr(value: string): boolean {
    try {
        ipaddr.parseCIDR(value);
        return true;
    } catch {
        return false;
    }
}

/**
 * True for CIDRs as good as the whole internet: broader than an IPv4 /8 or an IPv6
 * /16 (0.0.0.0/0, ::/0, or halves like 0.0.0.0/1). The policy pack draws the same line.
 */
export function isWorldCidr(cidr: string): boolean {
    try {
        const [address, prefix] = ipaddr.parseCIDR(cidr);
        return prefix < (address.kind() === "ipv4" ? 8 : 16);
    } catch {
        return false;
    }
}
