/** Bundles cli/src/main.ts into `outfile` (e.g. dist/cli/chronotrack.js), executable. */
export function bundleCli(outfile: string): Promise<void>;
