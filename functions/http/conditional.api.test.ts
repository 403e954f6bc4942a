import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnEveryDriver } from '../../test/api/every-driver.js';
import { expectProblem } from '../../test/api/expect-problem.js';
import { client, clientWithNewKey, type Client } from '../../test/support/client.js';
import { noneMatch } from './conditional.js';

/** ETags and 304s on a job's runs pages and a job's JSON (functions/http/conditional.ts), on every runtime. */
describeOnEveryDriver((getHarness) => {
  describe('conditional GETs', () => {
    let api: Client;
    let job: { id: number; key: string };
    beforeAll(async () => {
      api = client(getHarness().target);
      job = (await api.job('Conditional suite')) as unknown as { id: number; key: string };
    });

    const pages = () => [`/api/jobs/${job.id}/runs?limit=50`, `/api/jobs/by-key/${job.key}/runs`];
    const ifNoneMatch = (tag: string) => ({ headers: { 'If-None-Match': tag } });

    /** The page's ETag now, after checking that sending it back is a bodiless 304. */
    async function tagOf(path: string, who: Client = api): Promise<string> {
      const res = await who.get(path);
      expect(res.status, res.text).toBe(200);
      const tag = res.headers.get('ETag')!;
      expect(tag).toMatch(/^W\/".+"$/);
      expect(res.headers.get('Cache-Control')).toBe('private, no-cache');
      const again = await who.get(path, ifNoneMatch(tag));
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('ETag')).toBe(tag);
      expect(again.headers.get('Cache-Control')).toBe('private, no-cache');
      return tag;
    }

    it("answers a runs page's poll with 304 until a write to the job's runs, by id and by key", async () => {
      for (const path of pages()) {
        // A run of its own: a second heartbeat within 5 s is not written, so changes nothing.
        const run = await api.run(job.id, { status: 'RUNNING' });
        const writes: Array<() => Promise<unknown>> = [
          () => api.run(job.id),
          () => api.call('POST', `/api/runs/${run.id}/heartbeat`),
          () => api.patch(`/api/runs/${run.id}`, { metadata: { step: path } }),
        ];
        let tag = await tagOf(path);
        for (const write of writes) {
          await write();
          const after = await api.get(path, ifNoneMatch(tag));
          expect(after.status, 'a write changes the page').toBe(200);
          expect(after.headers.get('ETag')).not.toBe(tag);
          tag = await tagOf(path);
        }
      }
    });

    it('gives a 304 only with the page it would have sent: same body under the same tag', async () => {
      const [byId, byKey] = pages();
      const first = await api.get(byId!);
      const tag = first.headers.get('ETag')!;
      expect((await api.get(byId!)).text).toBe(first.text);
      expect((await api.get(byId!, ifNoneMatch(`"other", ${tag}`))).status).toBe(304);
      expect((await api.get(byId!, ifNoneMatch('*'))).status).toBe(304);
      expect((await api.get(byId!, ifNoneMatch('W/"0.1.0-runs-0-0"'))).status).toBe(200);
      // The by-key page of the same job and query is the same answer.
      expect((await api.get(byKey!)).headers.get('ETag')).toBe(tag);
    });

    it('never answers 304 where the page would be a 404: another project, a job that is gone', async () => {
      const tag = (await api.get(pages()[0]!)).headers.get('ETag')!;
      const project = (await api.post('/api/projects', { name: 'Conditional elsewhere' })).body;
      const { api: outsider } = await clientWithNewKey(api, getHarness().target, {
        scope: 'read',
        projectId: project.id,
      });
      for (const path of pages())
        expectProblem(await outsider.get(path, ifNoneMatch(tag)), 404, 'JOB_NOT_FOUND');
      expectProblem(await api.get('/api/jobs/999999/runs', ifNoneMatch('*')), 404, 'JOB_NOT_FOUND');
    });

    it("tags a job's JSON by its content, by id and by key", async () => {
      for (const path of [`/api/jobs/${job.id}`, `/api/jobs/by-key/${job.key}`]) {
        const tag = await tagOf(path);
        await api.patch(`/api/jobs/${job.id}`, { description: `changed for ${path}` });
        const after = await api.get(path, ifNoneMatch(tag));
        expect(after.status).toBe(200);
        expect(after.body.description).toBe(`changed for ${path}`);
        expect(await tagOf(path)).not.toBe(tag);
      }
    });
  });
});

describe('If-None-Match comparison', () => {
  it('is weak: W/ on either side, lists, * and whitespace', () => {
    const tag = 'W/"0.1.0-runs-1-7"';
    expect(noneMatch(undefined, tag)).toBe(false);
    expect(noneMatch('W/"0.1.0-runs-1-7"', tag)).toBe(true);
    expect(noneMatch('"0.1.0-runs-1-7"', tag)).toBe(true);
    expect(noneMatch(' "a" ,W/"0.1.0-runs-1-7" ', tag)).toBe(true);
    expect(noneMatch(' * ', tag)).toBe(true);
    expect(noneMatch('W/"0.1.0-runs-1-8"', tag)).toBe(false);
    expect(noneMatch('W/"0.1.0-runs-1-7', tag)).toBe(false);
    expect(noneMatch('', tag)).toBe(false);
  });
});
