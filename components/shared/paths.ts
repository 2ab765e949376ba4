import * as path from "path";

/** The repository root and its `assets/` folder (files shipped to hosts, Glue and images). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const ASSETS_DIR = path.join(REPO_ROOT, "assets");
