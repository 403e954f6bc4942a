/**
 * The physical floor: node:http + better-sqlite3 doing the routes the bench drives, with no
 * framework. `PORT`, `DATABASE_FILE` and `ADMIN_API_KEY` as for ChronoTrack.
 */
import { createServer, type ServerResponse } from 'node:http';
import { openBaselineStore, type Reply } from './store.js';

const store = openBaselineStore(process.env.DATABASE_FILE!, process.env.ADMIN_API_KEY!);
const runsOfJob = /^\/api\/jobs\/(\d+)\/runs$/;
const oneRun = /^\/api\/runs\/(\d+)$/;

function send(res: ServerResponse, reply: Reply) {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(text);
}

createServer((req, res) => {
  const [path, search] = (req.url ?? '/').split('?');
  if (path === '/health') return send(res, store.health());
  if (!store.authorized(req.headers.authorization))
    return send(res, { status: 401, body: { status: 401 } });
  let match = runsOfJob.exec(path!);
  if (match && req.method === 'POST') {
    req.resume();
    return req.on('end', () => send(res, store.createRun(Number(match![1]))));
  }
  if (match && req.method === 'GET') {
    const limit = Number(new URLSearchParams(search).get('limit') ?? 50);
    return send(res, store.runsPage(Number(match[1]), limit));
  }
  match = oneRun.exec(path!);
  if (match && req.method === 'PATCH') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    return req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, { status: 400, body: { status: 400 } });
      }
      send(res, store.transition(Number(match![1]), body));
    });
  }
  send(res, { status: 404, body: { status: 404 } });
}).listen(Number(process.env.PORT));
