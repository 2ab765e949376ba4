import * as assert from "assert";
import { REGION_AZS, SUPPORTED_REGIONS } from "../../components/shared/regions";
import { PRICED_REGIONS, PRICE_TABLES, isPricedRegion } from "../../tools/cost/prices";
import { buildPlan } from "../../tools/plan";
import { copiedStackDir, inRegion, removeStackDir } from "../support/stack-dirs";

/**
 * Every region the config accepts gives a full plan: tree, policy report, and a cost estimate
 * where the region has a price table ("cost: not priced for <region>" where it has none).
 * Prices are per region, each naming its source; a price a region lacks is reported, never
 * borrowed from another region.
 */

/** The regions the seeds used, and the two European ones the issue asks for. */
const MUST_BE_PRICED = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"];

/** Region names as the sources write them, for the check that each entry names its region. */
const REGION_WORDS: Readonly<Record<string, RegExp>> = {
    "us-east-1": /us-east-1|N\. Virginia|US East/,
    "us-east-2": /us-east-2|Ohio|US East/,
    "us-west-2": /us-west-2|Oregon/,
    "eu-west-1": /eu-west-1|Ireland/,
    "eu-central-1": /eu-central-1|Frankfurt/,
};

describe("cost: regions", function () {
    this.timeout(120000);

    it("has a price table for us-east-1, us-east-2, us-west-2, eu-west-1 and eu-central-1", () => {
        assert.deepStrictEqual(
            MUST_BE_PRICED.filter((region) => !isPricedRegion(region)),
            [],
        );
        assert.deepStrictEqual(
            PRICED_REGIONS.filter((region) => !SUPPORTED_REGIONS.includes(region)),
            [],
            "priced regions are regions the config accepts",
        );
    });

    it("every entry outside us-east-2 names its region (or says AWS has one price for all) and the date it was read", () => {
        for (const region of MUST_BE_PRICED.filter((r) => r !== "us-east-2")) {
            for (const [key, entry] of Object.entries(PRICE_TABLES[region])) {
                assert.ok(
                    REGION_WORDS[region].test(entry.source) || /no regional table|one rate in every/.test(entry.source),
                    `${region} ${key}: ${entry.source}`,
                );
                assert.match(entry.checked, /^\d{4}-\d{2}-\d{2}$/);
            }
        }
    });

    it("prices the hosts' default instance types (t3.medium, t3.large) and their gp3 root volumes in every priced region", () => {
        for (const region of MUST_BE_PRICED) {
            for (const key of [
                "ec2:t3.medium",
                "ec2:t3.large",
                "ebs.gp3.gbMonth",
                "publicIpv4.hour",
                "secretsmanager.secretMonth",
                "kms.keyMonth",
                "ecr.gbMonth",
            ]) {
                assert.ok(PRICE_TABLES[region][key], `${region} lacks ${key}`);
            }
        }
    });

    it("us-east-1 prices every dimension us-east-2 does for the tiers built today", () => {
        const missing = Object.keys(PRICE_TABLES["us-east-2"]).filter((key) => !PRICE_TABLES["us-east-1"][key] && !/^(rds:|msk)/.test(key));
        assert.deepStrictEqual(missing, []);
    });

    for (const region of Object.keys(REGION_AZS)) {
        it(`${region}: dev plans fully (tree, policy report, cost or "not priced"), exit 0`, async () => {
            const dir = copiedStackDir("dev", "dev", inRegion(region));
            try {
                const result = await buildPlan({ stack: "dev", root: dir });
                assert.strictEqual(result.exitCode, 0, result.summary);
                assert.ok(result.document.deployment.resources.length > 100);
                assert.match(result.detail, /Resource tree:[\s\S]*Policy pack: [\s\S]*mandatory \(0\)/);
                if (isPricedRegion(region)) {
                    assert.ok(result.cost && result.cost.monthlyTotal > 0, "priced");
                    assert.strictEqual(result.cost.region, region);
                    for (const gap of result.cost.unpriced)
                        assert.match(gap, new RegExp(`no price entry for ${region}\\)$`), "a gap is named, never guessed");
                    if (region === "us-east-1" || region === "us-east-2") assert.deepStrictEqual(result.cost.unpriced, []);
                } else {
                    assert.strictEqual(result.cost, undefined);
                    assert.match(result.summary, new RegExp(`cost: not priced for ${region}`));
                }
            } finally {
                removeStackDir(dir);
            }
        });
    }

    it("us-east-1 costs what us-east-2 costs for dev (the two share list prices)", async () => {
        const totals: number[] = [];
        for (const region of ["us-east-2", "us-east-1"]) {
            const dir = copiedStackDir("dev", "dev", inRegion(region));
            try {
                totals.push((await buildPlan({ stack: "dev", root: dir })).cost!.monthlyTotal);
            } finally {
                removeStackDir(dir);
            }
        }
        assert.strictEqual(totals[0], totals[1]);
    });
});
