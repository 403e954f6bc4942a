/**
 * The framework's own floor: Hono on @hono/node-server (what ChronoTrack runs on) doing the routes
 * the bench drives with the baselines' store and nothing else: no validation, logging, metrics,
 * security headers, limiter or key scopes. Between it and the raw server is what the framework
 * costs; between it and ChronoTrack is what ChronoTrack's own request path costs.
 */
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { openBaselineStore, type Reply } from './store.js';

const store = openBaselineStore(process.env.DATABASE_FILE!, process.env.ADMIN_API_KEY!);
const app = new Hono();

const send = (c: Context, reply: Reply) =>
  c.json(reply.body, reply.status as ContentfulStatusCode, reply.headers);

app.get('/health', (c) => send(c, store.health()));
app.use('/api/*', async (c, next) => {
  if (store.authorized(c.req.header('authorization'))) return next();
  return send(c, { status: 401, body: { status: 401 } });
});
app.post('/api/jobs/:id/runs', (c) => send(c, store.createRun(Number(c.req.param('id')))));
app.get('/api/jobs/:id/runs', (c) =>
  send(c, store.runsPage(Number(c.req.param('id')), Number(c.req.query('limit') ?? 50))),
);
app.patch('/api/runs/:id', async (c) => {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return send(c, { status: 400, body: { status: 400 } });
  }
  return send(c, store.transition(Number(c.req.param('id')), body));
});

serve({ fetch: app.fetch, port: Number(process.env.PORT) });
