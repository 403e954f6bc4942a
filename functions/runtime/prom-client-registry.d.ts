/**
 * prom-client's Registry on its own (`prom-client/lib/registry.js`): the exposition writer, which
 * requires nothing but its own helpers. The package's index also loads its metric classes and
 * default metrics, which require Node's util, cluster, v8 and perf_hooks: the Worker (no
 * nodejs_compat) can bundle this file and not the index.
 */
declare module 'prom-client/lib/registry.js' {
  import type { Registry } from 'prom-client';
  const RegistryClass: typeof Registry;
  export default RegistryClass;
}
