/**
 * The stack ChronoTrack is compared with: Express 5 + better-sqlite3 doing the routes the bench
 * drives, written as an Express app usually is (express.json, a router, an auth middleware).
 */
import express, { type Response } from 'express';
import { openBaselineStore, type Reply } from './store.js';

const store = openBaselineStore(process.env.DATABASE_FILE!, process.env.ADMIN_API_KEY!);
const app = express();
app.disable('x-powered-by');

const send = (res: Response, reply: Reply) => {
  if (reply.headers) res.set(reply.headers);
  res.status(reply.status).json(reply.body);
};

app.get('/health', (_req, res) => send(res, store.health()));
app.use('/api', (req, res, next) => {
  if (store.authorized(req.get('authorization'))) return next();
  send(res, { status: 401, body: { status: 401 } });
});
app.use(express.json());
app.post('/api/jobs/:id/runs', (req, res) => send(res, store.createRun(Number(req.params.id))));
app.get('/api/jobs/:id/runs', (req, res) =>
  send(res, store.runsPage(Number(req.params.id), Number(req.query.limit ?? 50))),
);
app.patch('/api/runs/:id', (req, res) =>
  send(res, store.transition(Number(req.params.id), req.body)),
);

app.listen(Number(process.env.PORT));
