/**
 * The alert rules as a PrometheusRule (components/observability/prometheus-rule.yaml), generated
 * from deploy/prometheus/alerts.yml, their one source: `npm run k8s:prometheus-rule` after editing
 * alerts.yml. Kustomize cannot build it (it reads no file outside its folder and cannot parse one
 * into a resource), so kubernetes.test.ts renders it again and fails when the file differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const ALERTS_FILE = fileURLToPath(new URL('../prometheus/alerts.yml', import.meta.url));
export const RULE_FILE = fileURLToPath(
  new URL('./components/observability/prometheus-rule.yaml', import.meta.url),
);

const HEADER = `# Generated from deploy/prometheus/alerts.yml by deploy/kubernetes/prometheus-rule.ts: do not
# edit. Change alerts.yml, then run npm run k8s:prometheus-rule (kubernetes.test.ts compares them).
# The release label is the one kube-prometheus-stack's Prometheus selects (ruleSelector): match yours.
`;

/** The PrometheusRule's YAML for an alerts.yml (its `groups`, unchanged). */
export function renderPrometheusRule(alertsYaml: string): string {
  const { groups } = parse(alertsYaml) as { groups: unknown[] };
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'chronotrack', labels: { release: 'kube-prometheus-stack' } },
    spec: { groups },
  };
  return HEADER + stringify(rule, { lineWidth: 0, singleQuote: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(RULE_FILE, renderPrometheusRule(readFileSync(ALERTS_FILE, 'utf8')));
  console.log(`Wrote ${RULE_FILE}`);
}
