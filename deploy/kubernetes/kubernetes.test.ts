import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../shared/config.js';
import { ALERTS_FILE, RULE_FILE, renderPrometheusRule } from './prometheus-rule.js';

/**
 * The Kubernetes manifests, offline: `kubectl kustomize` renders the base and every overlay, each
 * object validates against the Kubernetes OpenAPI schemas (kubernetes-models, generated from
 * Kubernetes 1.34's) or, for the Prometheus Operator's ServiceMonitor and PrometheusRule, against
 * their CRDs' schemas (@kubernetes-models/prometheus-operator, generated from the operator's CRDs),
 * and the properties docs/deployment.md promises hold on what is rendered.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const TARGETS = ['base', 'overlays/ingress', 'overlays/observability', 'overlays/libsql'] as const;
type Target = (typeof TARGETS)[number];

/** A rendered object: its fields are checked one by one, so `any` below the type meta. */
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  [field: string]: any;
};

const NEWER_KUBECTL =
  "kubectl 1.27 or newer (Kustomize v5) is needed: https://kubernetes.io/docs/tasks/tools/ (Debian bookworm's kubernetes-client is 1.20), or set KUBECTL";

/** Runs kubectl, failing with how to install it when it is missing. */
function kubectl(...args: string[]) {
  const result = spawnSync(KUBECTL, args, { cwd: here, encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `kubectl not found (${KUBECTL}): apt-get install -y kubernetes-client (.ci/run does). ${NEWER_KUBECTL}`,
    );
  }
  return result;
}

/** The manifests use Kustomize v5 (components, labels); an older kubectl renders them wrong. */
function checkKustomizeVersion() {
  const { stdout } = kubectl('version', '--client');
  const major = Number(/Kustomize Version: v(\d+)/.exec(stdout)?.[1] ?? 0);
  if (major < 5)
    throw new Error(`kubectl's kustomize is too old (${stdout.trim()}): ${NEWER_KUBECTL}`);
}

/** `kubectl kustomize <dir>`'s objects (a path relative to deploy/kubernetes, or absolute). */
function render(target: string): K8sObject[] {
  const result = kubectl('kustomize', target);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${target}: ${result.stderr}`);
  return parseAllDocuments(result.stdout).map((doc) => doc.toJS() as K8sObject);
}

/** The model class that validates `apiVersion`/`kind`: Kubernetes' own, or the operator's CRDs. */
async function modelOf({ apiVersion, kind }: K8sObject) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const path =
    group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  const module = (await import(/* @vite-ignore */ path)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  return module[kind]!;
}

/** The release CD tags the image with (docs/ci.md). */
const packageVersion = () =>
  (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;

const rendered = {} as Record<Target, K8sObject[]>;
beforeAll(() => {
  checkKustomizeVersion();
  for (const target of TARGETS) rendered[target] = render(target);
});

const find = (target: Target, kind: string, name?: string) =>
  rendered[target].filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
const one = (target: Target, kind: string, name?: string) => {
  const found = find(target, kind, name);
  expect(found, `${target}: one ${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0]!;
};
const podSpecs = (target: Target) =>
  rendered[target].flatMap((o) =>
    o.kind === 'Deployment'
      ? [{ owner: o, spec: o.spec.template.spec, labels: o.spec.template.metadata.labels }]
      : o.kind === 'CronJob'
        ? [
            {
              owner: o,
              spec: o.spec.jobTemplate.spec.template.spec,
              labels: o.spec.jobTemplate.spec.template.metadata.labels,
            },
          ]
        : [],
  );
const server = (target: Target) => one(target, 'Deployment', 'chronotrack');
const serverContainer = (target: Target) => server(target).spec.template.spec.containers[0];
const settings = (target: Target) => one(target, 'ConfigMap').data as Record<string, string>;
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe.each(TARGETS)('deploy/kubernetes/%s', (target) => {
  it('renders, and every object validates against its schema', async () => {
    expect(rendered[target].length).toBeGreaterThan(4);
    for (const object of rendered[target]) {
      const Model = await modelOf(object);
      expect(Model, `${object.apiVersion} ${object.kind}`).toBeTypeOf('function');
      expect(
        () => new Model(object).validate(),
        `${object.kind}/${object.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('runs every container as uid 1000, read-only, without capabilities, under RuntimeDefault', () => {
    for (const { owner, spec } of podSpecs(target)) {
      const where = `${owner.kind}/${owner.metadata.name}`;
      expect(spec.securityContext, where).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.automountServiceAccountToken, where).toBe(false);
      for (const container of spec.containers) {
        expect(container.securityContext, where).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests, where).toHaveProperty('memory');
        expect(container.resources.limits, where).toHaveProperty('memory');
        // What it writes is a volume: the root filesystem is read-only.
        const volumes = new Set(spec.volumes.map((v: { name: string }) => v.name));
        for (const mount of container.volumeMounts)
          expect(volumes.has(mount.name), where).toBe(true);
      }
    }
  });

  it('never inlines a secret: no Secret object, keys and tokens only by secretKeyRef', () => {
    expect(find(target, 'Secret')).toEqual([]);
    const SECRET = /KEY|TOKEN|PASSWORD|SMTP_URL/;
    for (const configMap of find(target, 'ConfigMap'))
      expect(Object.keys(configMap.data).filter((name) => SECRET.test(name))).toEqual([]);
    for (const { spec } of podSpecs(target)) {
      for (const variable of spec.containers.flatMap((c: { env?: unknown[] }) => c.env ?? [])) {
        if (SECRET.test(variable.name)) {
          expect(variable.value, variable.name).toBeUndefined();
          expect(variable.valueFrom.secretKeyRef, variable.name).toBeDefined();
        }
      }
    }
    expect(serverContainer(target).env).toContainEqual({
      name: 'ADMIN_API_KEY',
      valueFrom: { secretKeyRef: { name: 'chronotrack-admin', key: 'ADMIN_API_KEY' } },
    });
  });

  it('probes liveness on /health, readiness on /api/health, and waits minutes for a start', () => {
    const container = serverContainer(target);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    const { periodSeconds, failureThreshold } = container.startupProbe;
    expect(periodSeconds * failureThreshold).toBeGreaterThanOrEqual(120);
  });

  it('lets the server drain: the grace period is above its shutdown grace', () => {
    const node = readFileSync(new URL('../../functions/runtime/node.ts', import.meta.url), 'utf8');
    const graceMs = Number(
      /const SHUTDOWN_GRACE_MS = ([\d_]+);/.exec(node)![1]!.replaceAll('_', ''),
    );
    expect(server(target).spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      graceMs / 1000 + 5,
    );
  });

  it('has settings the server accepts, TRUSTED_PROXIES among them', () => {
    const config = parseConfig({ ...settings(target), ADMIN_API_KEY: 'x'.repeat(32) });
    expect(config.TRUSTED_PROXIES.length).toBeGreaterThan(0);
    expect(serverContainer(target).envFrom).toEqual([
      { configMapRef: { name: one(target, 'ConfigMap').metadata.name } },
    ]);
  });

  it('uses the image CD publishes, tagged with package.json’s version, set once', () => {
    expect(serverContainer(target).image).toBe(
      `ghcr.io/chronotrack/chronotrack:${packageVersion()}`,
    );
    for (const { spec } of podSpecs(target))
      for (const container of spec.containers) expect(container.image).toMatch(/:\d+\.\d+\.\d+$/);
  });

  it('admits only the ingress controller, Prometheus and the backup job to the server', () => {
    const policy = one(target, 'NetworkPolicy');
    expect(
      matches(policy.spec.podSelector.matchLabels, server(target).spec.template.metadata.labels),
    ).toBe(true);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toHaveLength(1);
    const [rule] = policy.spec.ingress;
    expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    expect(rule.from.map((peer: K8sObject) => peer.podSelector.matchLabels)).toEqual([
      { 'app.kubernetes.io/name': 'ingress-nginx' },
      { 'app.kubernetes.io/name': 'prometheus' },
      { 'app.kubernetes.io/name': 'chronotrack', 'app.kubernetes.io/component': 'backup' },
    ]);
    for (const { owner, labels } of podSpecs(target).filter((p) => p.owner.kind === 'CronJob'))
      expect(matches(rule.from[2].podSelector.matchLabels, labels), owner.metadata.name).toBe(true);
  });
});

describe.each(['base', 'overlays/ingress', 'overlays/observability'] as const)(
  'deploy/kubernetes/%s on SQLite',
  (target) => {
    it('runs one replica with Recreate, its file on a ReadWriteOnce claim at /data', () => {
      const deployment = server(target);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      const data = deployment.spec.template.spec.volumes.find((v: K8sObject) => v.name === 'data');
      const claim = one(target, 'PersistentVolumeClaim', data.persistentVolumeClaim.claimName);
      expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
      expect(serverContainer(target).volumeMounts).toContainEqual({
        name: 'data',
        mountPath: '/data',
      });
      expect(settings(target).DATABASE_FILE).toBe('/data/chronotrack.db');
      expect(settings(target).DATABASE_URL).toBeUndefined();
    });

    it('backs up nightly over HTTP with the admin key, onto a claim of its own', () => {
      const cronJob = one(target, 'CronJob', 'chronotrack-backup');
      const spec = cronJob.spec.jobTemplate.spec.template.spec;
      expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
      expect(spec.containers[0].command.join(' ')).toContain(
        'curl -fsS --retry 2 -H "Authorization: Bearer $ADMIN_API_KEY"',
      );
      expect(spec.containers[0].command.join(' ')).toContain('http://chronotrack/api/admin/backup');
      const claimName = spec.volumes[0].persistentVolumeClaim.claimName;
      expect(claimName).not.toBe('chronotrack-data');
      one(target, 'PersistentVolumeClaim', claimName);
    });
  },
);

describe('deploy/kubernetes/overlays/ingress', () => {
  it('serves the dashboard and the API over TLS for every host, to the Service', () => {
    const ingress = one('overlays/ingress', 'Ingress');
    const service = one('overlays/ingress', 'Service');
    const tlsHosts = ingress.spec.tls.flatMap((tls: { hosts: string[] }) => tls.hosts);
    for (const rule of ingress.spec.rules) {
      expect(tlsHosts).toContain(rule.host);
      expect(rule.http.paths).toEqual([
        {
          path: '/',
          pathType: 'Prefix',
          backend: { service: { name: service.metadata.name, port: { name: 'http' } } },
        },
      ]);
      expect(settings('overlays/ingress').PUBLIC_URL).toBe(`https://${rule.host}`);
    }
    expect(service.spec.ports).toContainEqual({ name: 'http', port: 80, targetPort: 'http' });
  });
});

describe('deploy/kubernetes/overlays/observability', () => {
  it('scrapes /metrics of the Service with a read key from a Secret', () => {
    const monitor = one('overlays/observability', 'ServiceMonitor');
    const service = one('overlays/observability', 'Service');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({
        port: 'http',
        path: '/metrics',
        authorization: {
          type: 'Bearer',
          credentials: { name: 'chronotrack-metrics', key: 'read-key' },
        },
      }),
    ]);
  });

  it('alerts with deploy/prometheus/alerts.yml, generated from it (npm run k8s:prometheus-rule)', () => {
    const alerts = readFileSync(ALERTS_FILE, 'utf8');
    expect(readFileSync(RULE_FILE, 'utf8'), 'run npm run k8s:prometheus-rule').toBe(
      renderPrometheusRule(alerts),
    );
    const rule = one('overlays/observability', 'PrometheusRule');
    const [alertsDoc] = parseAllDocuments(alerts);
    expect(rule.spec.groups).toEqual((alertsDoc!.toJS() as { groups: unknown[] }).groups);
  });
});

describe('deploy/kubernetes/overlays/libsql', () => {
  const target = 'overlays/libsql';

  it('runs several replicas on DATABASE_URL, rolling, with no volume of their own', () => {
    const deployment = server(target);
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(settings(target).DATABASE_URL).toMatch(/^(libsql|https?|wss?):/);
    expect(find(target, 'PersistentVolumeClaim')).toEqual([]);
    expect(find(target, 'CronJob')).toEqual([]);
    expect(
      deployment.spec.template.spec.volumes.filter((v: K8sObject) => v.persistentVolumeClaim),
    ).toEqual([]);
    expect(serverContainer(target).env).toContainEqual({
      name: 'DATABASE_AUTH_TOKEN',
      valueFrom: {
        secretKeyRef: { name: 'chronotrack-libsql', key: 'DATABASE_AUTH_TOKEN', optional: true },
      },
    });
  });

  it('spreads the replicas over nodes and keeps all but one through a disruption', () => {
    const deployment = server(target);
    const labels = deployment.spec.template.metadata.labels;
    const [term] =
      deployment.spec.template.spec.affinity.podAntiAffinity
        .preferredDuringSchedulingIgnoredDuringExecution;
    expect(term.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(matches(term.podAffinityTerm.labelSelector.matchLabels, labels)).toBe(true);
    const budget = one(target, 'PodDisruptionBudget');
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(matches(budget.spec.selector.matchLabels, labels)).toBe(true);
  });
});

describe('docs/deployment.md, "A first deploy"', () => {
  it('has an overlay of one’s own that renders with the image, host and settings it names', async () => {
    const docs = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8');
    const block = /```yaml\n(\s*)# my-chronotrack\/kustomization\.yaml\n([\s\S]*?)\n\s*```/.exec(
      docs,
    );
    expect(block, 'the my-chronotrack/kustomization.yaml block').not.toBeNull();
    const yaml = block![2]!.replaceAll(new RegExp(`^${block![1]}`, 'gm'), '');
    const dir = mkdtempSync(join(tmpdir(), 'chronotrack-overlay-'));
    try {
      symlinkSync(fileURLToPath(new URL('../..', import.meta.url)), join(dir, 'chronotrack'));
      mkdirSync(join(dir, 'my-chronotrack'));
      writeFileSync(join(dir, 'my-chronotrack', 'kustomization.yaml'), yaml);
      const objects = render(join(dir, 'my-chronotrack'));
      for (const object of objects) new (await modelOf(object))(object).validate();
      const deployment = objects.find((o) => o.kind === 'Deployment')!;
      expect(deployment.metadata.namespace).toBe('chronotrack');
      // The release the docs show is the current one.
      expect(deployment.spec.template.spec.containers[0].image).toBe(
        `ghcr.io/<owner>/<repo>:${packageVersion()}`,
      );
      const ingress = objects.find((o) => o.kind === 'Ingress')!;
      expect(ingress.spec.rules[0].host).toBe('chronotrack.example.org');
      expect(ingress.spec.tls[0].hosts).toEqual(['chronotrack.example.org']);
      const data = objects.find((o) => o.kind === 'ConfigMap')!.data;
      expect(data).toMatchObject({
        PUBLIC_URL: 'https://chronotrack.example.org',
        TRUSTED_PROXIES: '10.244.0.0/16',
      });
      expect(objects.map((o) => o.kind)).toContain('ServiceMonitor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
