import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { describeOnEveryDriver } from '../../../test/api/every-driver.js';
import { call, client, type ApiTarget, type Client } from '../../../test/support/client.js';

/**
 * Status badges on every runtime: turned on and rotated by an admin key, served without one, and
 * telling nothing but a job's name and health (docs/api-spec.md#status-badges).
 */
describeOnEveryDriver((getHarness) => {
  describe('status badges', () => {
    let api: Client;
    let target: ApiTarget;
    const unique = (name: string) => `${name} ${Math.random().toString(36).slice(2, 8)}`;
    beforeAll(() => {
      target = getHarness().target;
      api = client(target);
    });

    /** A badge request as an <img> or shields.io sends it: no API key. */
    const badge = (path: string, headers?: Record<string, string>) =>
      call(target, 'GET', path, { key: null, headers });

    /** A project with badges on, and its badge key. */
    const projectWithBadges = async () => {
      const project = (await api.post('/api/projects', { name: unique('Badged') })).body;
      expect(project.badgeKey).toBeNull();
      const on = await api.post(`/api/projects/${project.id}/badge-key`);
      expect(on.status, on.text).toBe(200);
      expect(on.body.badgeKey).toMatch(/^[0-9a-f]{32}$/);
      return { id: project.id as number, badgeKey: on.body.badgeKey as string };
    };

    const finish = async (jobId: number, status: 'SUCCESS' | 'FAILED') => {
      const run = await api.run(jobId, { status: 'RUNNING' });
      expect((await api.patch(`/api/runs/${run.id}`, { status })).status).toBe(200);
    };

    it("shows a job's name and health as a flat SVG, cached a minute, with an ETag", async () => {
      const { id, badgeKey } = await projectWithBadges();
      await api.job('Nightly backup', { projectId: id, key: 'nightly-backup' });
      const path = `/badge/${badgeKey}/nightly-backup.svg`;

      const fresh = await badge(path);
      expect(fresh.status, fresh.text).toBe(200);
      expect(fresh.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
      expect(fresh.headers.get('Cache-Control')).toBe('public, max-age=60');
      expect(fresh.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
      expect(fresh.text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+"/);
      expect(fresh.text).toContain('<title>Nightly backup: new</title>');
      expect(fresh.text).toContain('fill="#9f9f9f"');

      const tag = fresh.headers.get('ETag');
      expect(tag).toMatch(/^"[0-9a-f]+"$/);
      const same = await badge(path, { 'If-None-Match': tag! });
      expect(same.status).toBe(304);
      expect(same.text).toBe('');
      expect(same.headers.get('ETag')).toBe(tag);
      expect(same.headers.get('Cache-Control')).toBe('public, max-age=60');
      expect(same.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');

      const { id: jobId } = (await api.get(`/api/jobs/by-key/nightly-backup?projectId=${id}`)).body;
      await finish(jobId, 'SUCCESS');
      const up = await badge(path, { 'If-None-Match': tag! });
      expect(up.status).toBe(200);
      expect(up.headers.get('ETag')).not.toBe(tag);
      expect(up.text).toContain('<title>Nightly backup: up</title>');
      expect(up.text).toContain('fill="#4c1"');

      await finish(jobId, 'FAILED');
      expect((await badge(path)).text).toContain('fill="#e05d44"');
      expect((await api.patch(`/api/jobs/${jobId}`, { archived: true })).status).toBe(200);
      expect((await badge(path)).text).toContain('<title>Nightly backup: paused</title>');
    });

    it("answers shields.io's endpoint JSON, with nothing but the name and health", async () => {
      const { id, badgeKey } = await projectWithBadges();
      const job = await api.job('ETL <daily>', { projectId: id, key: 'etl' });
      await finish(job.id, 'FAILED');
      const res = await badge(`/badge/${badgeKey}/etl.json`);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(res.headers.get('Cache-Control')).toBe('public, max-age=60');
      expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]+"$/);
      expect(res.body).toEqual({
        schemaVersion: 1,
        label: 'ETL <daily>',
        message: 'down',
        color: 'red',
      });
    });

    it('shows the worst health of the project, with its count', async () => {
      const { id, badgeKey } = await projectWithBadges();
      const empty = await badge(`/badge/${badgeKey}.json`);
      expect(empty.body).toEqual({
        schemaVersion: 1,
        label: 'jobs',
        message: 'no jobs',
        color: 'lightgrey',
      });
      const a = await api.job(unique('a'), { projectId: id });
      const b = await api.job(unique('b'), { projectId: id });
      const c = await api.job(unique('c'), { projectId: id });
      expect((await badge(`/badge/${badgeKey}.json`)).body.message).toBe('3/3 new');
      await finish(a.id, 'SUCCESS');
      await finish(b.id, 'SUCCESS');
      expect((await badge(`/badge/${badgeKey}.json`)).body).toMatchObject({
        message: '2/3 up',
        color: 'brightgreen',
      });
      await finish(c.id, 'FAILED');
      expect((await badge(`/badge/${badgeKey}.json`)).body).toMatchObject({
        message: '1/3 down',
        color: 'red',
      });
      // An archived job expects nothing: it neither counts nor colours the badge.
      await api.patch(`/api/jobs/${c.id}`, { archived: true });
      const svg = await badge(`/badge/${badgeKey}.svg`);
      expect(svg.status).toBe(200);
      expect(svg.text).toContain('<title>jobs: 2/2 up</title>');
    });

    it('escapes a job name, so it can neither break nor inject into the SVG', async () => {
      const { id, badgeKey } = await projectWithBadges();
      const name = `</text><script>alert("x")</script> & 'ünïcödé' 漢字 🚀`;
      await api.job(name, { projectId: id, key: 'hostile' });
      const res = await badge(`/badge/${badgeKey}/hostile.svg`);
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain('<script');
      expect(res.text).toContain(
        '&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;ünïcödé&apos; 漢字 🚀',
      );
      // Every < opens one of the template's own elements.
      const tags = new Set(
        res.text.match(/<\/?([a-zA-Z]+)/g)!.map((tag) => tag.replace(/[</]/g, '')),
      );
      expect([...tags].sort()).toEqual(
        ['clipPath', 'g', 'linearGradient', 'rect', 'stop', 'svg', 'text', 'title'].sort(),
      );
    });

    it('is the same 404 for an unknown badge key, a rotated one, an unknown job and badges off', async () => {
      const { id, badgeKey } = await projectWithBadges();
      await api.job(unique('job'), { projectId: id, key: 'known' });
      const other = await projectWithBadges();
      const off = (await api.post('/api/projects', { name: unique('Off') })).body;
      await api.job(unique('off'), { projectId: off.id, key: 'known' });
      expect((await badge(`/badge/${badgeKey}/known.svg`)).status).toBe(200);

      const rotated = await api.post(`/api/projects/${id}/badge-key`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.badgeKey).not.toBe(badgeKey);
      expect((await badge(`/badge/${rotated.body.badgeKey}/known.svg`)).status).toBe(200);

      const misses = [
        `/badge/${badgeKey}/known.svg`, // rotated away
        `/badge/${badgeKey}.json`,
        `/badge/${'0'.repeat(32)}/known.svg`,
        `/badge/${other.badgeKey}/known.svg`, // another project's key, this project's job
        `/badge/${rotated.body.badgeKey}/unknown.svg`,
        `/badge/${rotated.body.badgeKey}/known.png`,
        `/badge/${rotated.body.badgeKey}/known`,
        `/badge/${rotated.body.badgeKey}/Not A Key.svg`,
        '/badge/not-hex.svg',
        '/badge/.svg',
      ];
      const bodies = new Set<string>();
      for (const path of misses) {
        const res = await badge(path);
        expectProblem(res, 404, 'BADGE_NOT_FOUND');
        expect(res.headers.get('Cache-Control')).toBe('no-store');
        bodies.add(JSON.stringify({ ...res.body, requestId: undefined }));
      }
      expect(bodies.size).toBe(1);
    });

    it('shows the badge key to admin keys only, and lets only them rotate it', async () => {
      const { id, badgeKey } = await projectWithBadges();
      expect((await api.get(`/api/projects/${id}`)).body.badgeKey).toBe(badgeKey);
      const listed = (await api.get('/api/projects')).body.data.find(
        (p: { id: number }) => p.id === id,
      );
      expect(listed.badgeKey).toBe(badgeKey);
      for (const scope of ['read', 'write'] as const) {
        const key = (await api.post('/api/keys', { name: unique('k'), scope, projectId: id })).body
          .key as string;
        const bound = client(target, key);
        const seen = await bound.get(`/api/projects/${id}`);
        expect(seen.status).toBe(200);
        expect(seen.body).not.toHaveProperty('badgeKey');
        expect(JSON.stringify((await bound.get('/api/projects')).body)).not.toContain(badgeKey);
        expectProblem(await bound.post(`/api/projects/${id}/badge-key`), 403, 'INSUFFICIENT_SCOPE');
      }
      expectProblem(await api.post('/api/projects/999999/badge-key'), 404, 'PROJECT_NOT_FOUND');
      expect((await badge(`/badge/${badgeKey}.svg`)).status).toBe(200);
    });
  });
});
