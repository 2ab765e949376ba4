import { loadStackConfig } from "./components/config";
import { Platform } from "./components/platform";

const config = loadStackConfig();
const platform = new Platform(config.environment, { config });

export const vpcId = platform.network.vpcId;
export const subnetIds = {
    public: platform.network.publicSubnetIds,
    private: platform.network.privateSubnetIds,
    database: platform.network.databaseSubnetIds,
};
export const securityGroupIds = platform.firewall.groupIds;
