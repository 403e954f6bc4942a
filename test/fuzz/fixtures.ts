/**
 * The two projects the fuzzer works between: A, whose project-scoped write key sends every
 * request, and B, which that key must never change. Both get the same rows (jobs, runs, a webhook,
 * a channel), made with the server's bootstrap admin key over HTTP.
 */
export interface AdminApi {
  (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export function adminApi(baseUrl: string, adminKey: string): AdminApi {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

export interface ProjectFixture {
  id: number;
  name: string;
  pingKey: string;
  jobs: Array<{ id: number; key: string; pingUuid: string }>;
  runIds: number[];
  webhookIds: number[];
  channelIds: number[];
}

async function must(api: AdminApi, method: string, path: string, body?: unknown) {
  const res = await api(method, path, body);
  if (res.status >= 300)
    throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A project with two jobs (one archived), three runs, a webhook and a channel. */
export async function createProject(api: AdminApi, name: string): Promise<ProjectFixture> {
  const project = await must(api, 'POST', '/api/projects', { name });
  const detail = await must(api, 'GET', `/api/projects/${project.id}`);
  const fixture: ProjectFixture = {
    id: project.id,
    name,
    pingKey: detail.pingKey,
    jobs: [],
    runIds: [],
    webhookIds: [],
    channelIds: [],
  };
  for (const [i, key] of ['nightly-backup', 'etl'].entries()) {
    const job = await must(api, 'POST', '/api/jobs', {
      name: `${name} ${key}`,
      key,
      projectId: project.id,
      type: 'etl',
    });
    fixture.jobs.push({ id: job.id, key: job.key, pingUuid: job.pingUuid });
    const running = await must(api, 'POST', `/api/jobs/${job.id}/runs`, { status: 'RUNNING' });
    fixture.runIds.push(running.id);
    if (i === 0) {
      const done = await must(api, 'POST', `/api/jobs/${job.id}/runs`, { status: 'RUNNING' });
      await must(api, 'PATCH', `/api/runs/${done.id}`, { status: 'FAILED', errorMessage: 'boom' });
      fixture.runIds.push(done.id);
    } else {
      await must(api, 'PATCH', `/api/jobs/${job.id}`, { archived: true });
    }
  }
  // After the runs, so no event is waiting for them: B's deliveries must stay as they are.
  const hook = await must(api, 'POST', '/api/webhooks', {
    url: 'https://hooks.example.com/chronotrack',
    events: ['run.failed'],
    projectId: project.id,
  });
  fixture.webhookIds.push(hook.id);
  const channel = await must(api, 'POST', '/api/channels', {
    name: `${name} slack`,
    type: 'slack',
    config: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX' },
    events: ['run.failed'],
    projectId: project.id,
  });
  fixture.channelIds.push(channel.id);
  return fixture;
}

/** A project-scoped write key of the project (admin keys see every project): the fuzzer's. */
export async function createProjectKey(api: AdminApi, projectId: number) {
  const key = await must(api, 'POST', '/api/keys', {
    name: 'fuzzer',
    scope: 'write',
    projectId,
  });
  return { id: key.id as number, secret: key.key as string };
}

/** Everything of a project the fuzzer's key must not change, as the admin key reads it. */
export async function snapshot(api: AdminApi, projectId: number) {
  const all = async (path: string) => {
    const rows: unknown[] = [];
    let next: string | undefined = path;
    while (next) {
      const res = await must(api, 'GET', next);
      rows.push(...res.data);
      next = res.nextCursor
        ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(res.nextCursor)}`
        : undefined;
    }
    return rows;
  };
  const ofProject = (rows: unknown[]) =>
    rows.filter((row) => (row as { projectId: number }).projectId === projectId);
  return {
    project: await must(api, 'GET', `/api/projects/${projectId}`),
    jobs: await all(`/api/jobs?projectId=${projectId}&archived=all&limit=100`),
    runs: await all(`/api/runs?projectId=${projectId}&limit=100`),
    webhooks: ofProject(await all('/api/webhooks')),
    channels: ofProject(await all('/api/channels')),
  };
}
