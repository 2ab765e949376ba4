import * as assert from "assert";
import { STATEFUL_TYPES } from "../support/stateful";
import { STACKS, fixtureConfig, inputsOf, ofType, runStack } from "../support/helpers";
import { TYPE } from "../../policy-pack/policies/types";

/**
 * `pulumi destroy` then `pulumi up` the same day must work on an unprotected stack: nothing may be
 * kept (protect, retainOnDelete), refuse to go (a non-empty bucket, a repository with images), or
 * keep holding its name after deletion (a secret in its recovery window). What else frees its name
 * at once, and needs nothing here: log groups, IAM roles and policies, Glue catalog databases,
 * crawlers, jobs, workflows and security configurations, ECS clusters (an INACTIVE cluster's name
 * can be reused) and task-definition families, and KMS aliases (DeleteAlias is immediate; a key has
 * no name, and the 7-day deletion window of a scheduled key holds no name either).
 */
describe("destroy and re-create the same day", () => {
    for (const stack of STACKS) {
        const { protect } = fixtureConfig(stack);
        if (protect) {
            it(`${stack} (protected): keeps protect + retainOnDelete on stateful resources, never empties a bucket, keeps a recovery window`, async () => {
                const run = await runStack(stack);
                const stateful = run.resources.filter((resource) => (STATEFUL_TYPES as readonly string[]).includes(resource.type));
                for (const type of [TYPE.s3Bucket, TYPE.kmsKey, TYPE.ecrRepository, TYPE.secretsmanagerSecret]) {
                    assert.ok(ofType(run, type).length > 0, `${stack} builds ${type}`);
                    for (const resource of ofType(run, type)) {
                        assert.strictEqual(resource.protect, true, resource.name);
                        assert.strictEqual(resource.retainOnDelete, true, resource.name);
                    }
                }
                assert.ok(stateful.length > 0);
                for (const bucket of ofType(run, TYPE.s3Bucket)) assert.strictEqual(inputsOf(bucket).forceDestroy, false, bucket.name);
                for (const repository of ofType(run, TYPE.ecrRepository))
                    assert.strictEqual(inputsOf(repository).forceDelete, false, repository.name);
                for (const secret of ofType(run, TYPE.secretsmanagerSecret)) assert.ok(inputsOf(secret).recoveryWindowInDays >= 7, secret.name);
            });
            continue;
        }

        describe(`${stack} (unprotected)`, () => {
            it("protects and retains nothing: destroy deletes every resource", async () => {
                const run = await runStack(stack);
                const kept = run.resources.filter((resource) => resource.protect || resource.retainOnDelete).map((resource) => resource.name);
                assert.deepStrictEqual(kept, []);
            });

            it("empties its buckets and repositories on delete (S3 and ECR refuse to delete them non-empty otherwise)", async () => {
                const run = await runStack(stack);
                assert.ok(ofType(run, TYPE.s3Bucket).length > 0);
                assert.ok(ofType(run, TYPE.ecrRepository).length > 0);
                for (const bucket of ofType(run, TYPE.s3Bucket)) assert.strictEqual(inputsOf(bucket).forceDestroy, true, bucket.name);
                for (const repository of ofType(run, TYPE.ecrRepository)) assert.strictEqual(inputsOf(repository).forceDelete, true, repository.name);
            });

            it("deletes its secrets without a recovery window, so their names are free again at once", async () => {
                const run = await runStack(stack);
                assert.ok(ofType(run, TYPE.secretsmanagerSecret).length > 0);
                // 0: the provider deletes with ForceDeleteWithoutRecovery (7–30 would keep the name that long).
                for (const secret of ofType(run, TYPE.secretsmanagerSecret))
                    assert.strictEqual(inputsOf(secret).recoveryWindowInDays, 0, secret.name);
            });

            it("keeps no log group on destroy", async () => {
                const run = await runStack(stack);
                assert.ok(ofType(run, TYPE.cloudwatchLogGroup).length > 0);
                for (const group of ofType(run, TYPE.cloudwatchLogGroup)) assert.notStrictEqual(inputsOf(group).skipDestroy, true, group.name);
            });
        });
    }
});
