import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { isCidr, isWorldCidr } from "../shared/cidr";
import { USER_VALUE } from "../shared/config-fields";

const adminCidr = z
    .string()
    .refine(isCidr, { message: "not a valid IPv4 or IPv6 CIDR (e.g. 203.0.113.0/24)" })
    .refine((value) => !isWorldCidr(value), {
        message:
            "admin ports are never open to the whole internet (nor to a range broader than an IPv4 /8 or IPv6 /16): use your office or VPN range (e.g. 203.0.113.0/24)",
    })
    .superRefine((value, ctx) => {
        // A security group takes only the network address: 203.0.113.5/24 would open all of 203.0.113.0/24.
        if (!isCidr(value)) return;
        const [address, prefix] = ipaddr.parseCIDR(value);
        const network = address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(value) : ipaddr.IPv6.networkAddressFromCIDR(value);
        if (network.toNormalizedString() === address.toNormalizedString()) return;
        const cidr = `${network.toString()}/${prefix}`;
        ctx.addIssue({
            code: "custom",
            message: `host bits are set: the network address is ${cidr}, which is what the rule would open; write ${cidr} (or /${address.kind() === "ipv4" ? 32 : 128} for the one host)`,
        });
    });

/** `data-platform:access`: who reaches the hosts' UIs and SSH when `hosts.publicAdminIngress` opens them. */
export const accessSchema = z.strictObject({
    adminCidrs: z
        .array(adminCidr)
        .default([])
        .describe(
            "CIDRs the hosts' UIs (and SSH) open to, only with hosts.publicAdminIngress; never world-open (0.0.0.0/0, ::/0, nor broader than IPv4 /8 or IPv6 /16)",
        )
        .meta(USER_VALUE),
    sshPublicKey: z
        .string()
        .regex(
            /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/,
            "expected an OpenSSH public key line (ssh-ed25519 AAAA... comment)",
        )
        .optional()
        .describe(
            "OpenSSH public key; when set, both hosts get it for SSH through Session Manager (AWS-StartSSHSession); port 22 opens to access.adminCidrs only with hosts.publicAdminIngress",
        )
        .meta(USER_VALUE),
});

export type AccessConfig = z.infer<typeof accessSchema>;
