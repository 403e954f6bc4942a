import pkg from '../../package.json' with { type: 'json' };

/** The package's version (esbuild inlines package.json into the bundled bin). */
export const VERSION: string = pkg.version;
