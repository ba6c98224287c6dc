import { Hono } from 'hono';
import type { AppDeps } from '../server/app-deps.js';
import { openApiDocument } from './openapi.js';

/** A follower whose indexes have not caught up for this long answers 503 on /readyz (stuck, not just busy). */
const maxSecondsBehind = 30;

/** How long /readyz waits for the store (a PostgreSQL server out of reach must not hang the probe). */
const storeCheckMs = 2000;

/** `work`, or a rejection after `ms`. */
const within = <T>(work: Promise<T>, ms: number): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/** `/healthz` (the process answers), `/readyz` (store open, indexes loaded), `/metrics`, OpenAPI. */
export function operationsRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    let storeOpen = false;
    try {
      await within(deps.engine.store.generation(), storeCheckMs);
      storeOpen = true;
    } catch {
      storeOpen = false;
    }
    const indexesLoaded = deps.engine.bm25.size === deps.engine.vectors.size;
    // Several processes: this one's role and, on a follower, how far its indexes lag the writer's.
    const lag = storeOpen ? await deps.engine.lag()?.catch(() => undefined) : undefined;
    const following = lag === undefined || lag.secondsBehind <= maxSecondsBehind;
    const ready = storeOpen && indexesLoaded && following && !deps.state.draining;
    const process = deps.processes && {
      role: deps.processes.role,
      index: deps.processes.index,
      pid: globalThis.process.pid,
      ...(lag && { lag }),
    };
    return c.json(
      {
        ready,
        storeOpen,
        indexesLoaded,
        chunks: deps.engine.bm25.size,
        draining: deps.state.draining,
        ...(process && { process }),
        // A PostgreSQL replica: how far its indexes lag the shared store's change log.
        ...(deps.engine.isReplica && lag && { replica: { lag } }),
      },
      ready ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(deps.config.limits.maxQuestionChars)));
  app.get('/api/docs', (c) => {
    // frame-ancestors too: without it this page was the only one any site could frame.
    c.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>trogiang API</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem}code,pre{background:#f3f3f3;padding:.1rem .3rem}
section{border-top:1px solid #ddd;padding:.5rem 0}h3{margin:.2rem 0}</style></head>
<body><h1>trogiang API</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p><div id="ops"></div>
<script src="/api/docs.js"></script></body></html>`);
  });
  app.get('/api/docs.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    // Renders the operations as text nodes only: the document is ours, but keep the habit.
    return c.body(`fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{const root=document.getElementById('ops');
for(const [path,ops] of Object.entries(doc.paths)){for(const [method,op] of Object.entries(ops)){const s=document.createElement('section');
const h=document.createElement('h3');h.textContent=method.toUpperCase()+' '+path;s.appendChild(h);const p=document.createElement('p');p.textContent=op.summary||'';s.appendChild(p);
const pre=document.createElement('pre');pre.textContent=JSON.stringify({parameters:op.parameters,requestBody:op.requestBody,responses:op.responses},null,2);s.appendChild(pre);root.appendChild(s);}}});`);
  });
  return app;
}
