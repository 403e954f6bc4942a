// A webhook receiver that verifies signatures (docs/alerts.md), to try webhooks on one machine:
//
//   CHRONOTRACK_WEBHOOK_SECRET=whsec_... node scripts/webhook-receiver.mjs
//
// It listens on 127.0.0.1:8080 (RECEIVER_PORT changes the port), prints each event it verifies
// and answers 204; a bad signature gets 401, which ChronoTrack retries. Point a webhook at
// http://127.0.0.1:8080/chronotrack on a server started with WEBHOOK_ALLOW_PRIVATE=true: loopback
// addresses are refused otherwise. `standardwebhooks` is a dev dependency here (`npm ci`);
// elsewhere, `npm install standardwebhooks`.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const secret = process.env.CHRONOTRACK_WEBHOOK_SECRET; // the whsec_... secret
if (!secret?.startsWith('whsec_')) {
  console.error("Set CHRONOTRACK_WEBHOOK_SECRET to the webhook's secret (whsec_...).");
  process.exit(2);
}
const verifier = new Webhook(secret);
const seen = new Set(); // use a store with expiry in production
const port = Number(process.env.RECEIVER_PORT ?? 8080);

createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    let event;
    try {
      // Checks the signature and that webhook-timestamp is within 5 minutes.
      event = verifier.verify(body, req.headers);
    } catch {
      res.writeHead(401).end();
      return;
    }
    const id = req.headers['webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      console.log(event.type, JSON.stringify(event.data));
    }
    res.writeHead(204).end(); // any 2xx; anything else is retried
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
