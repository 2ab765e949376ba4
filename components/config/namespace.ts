/** Project config keys are `data-platform:<key>` in Pulumi.<stack>.yaml. */
export const CONFIG_NAMESPACE = "data-platform";
