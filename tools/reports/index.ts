import * as fs from "fs";
import { PolicyReportInput } from "./common";
import { renderJunit } from "./junit";
import { renderSarif } from "./sarif";

export { PolicyReportInput, ReportArtifact, outputPathProblem, reportArtifact, sameOutputProblem, stackFilePath } from "./common";
export { renderJunit } from "./junit";
export { renderSarif, toSarif } from "./sarif";

/** Where `--sarif F` and `--junit F` write. */
export interface ReportFiles {
    readonly sarif?: string;
    readonly junit?: string;
}

/** Writes the reports asked for; returns the files written, in flag order. */
export function writeReports(input: PolicyReportInput, files: ReportFiles): string[] {
    const written: string[] = [];
    if (files.sarif) {
        fs.writeFileSync(files.sarif, renderSarif(input));
        written.push(files.sarif);
    }
    if (files.junit) {
        fs.writeFileSync(files.junit, renderJunit(input));
        written.push(files.junit);
    }
    return written;
}
