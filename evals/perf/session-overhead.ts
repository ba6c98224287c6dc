/**
 * What a session cookie costs an admin request against the bearer token, and what a login costs:
 * the real service on loopback (empty corpus), `GET /api/admin/collections` N times each way
 * (interleaved), then logins at the default scrypt cost. Prints medians and p95.
 *
 *   npx tsx evals/perf/session-overhead.ts [--requests 400] [--logins 6]
 */
import { startAccountsService, sessionCookie } from '../../test/auth/accounts-service.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const requests = arg('requests', 400);
const logins = arg('logins', 6);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(2)} ms, p95 ${quantile(xs, 0.95).toFixed(2)} ms`;

const svc = await startAccountsService({}, { TRUST_PROXY: 'true' });
try {
  const password = 'mat-khau-do-hieu-nang';
  await svc.operator('/api/admin/centers/default/users', 'POST', { username: 'do.hieu.nang', password, role: 'center_admin' });
  const loginTimes: number[] = [];
  let cookie = '';
  for (let i = 0; i < logins; i++) {
    const started = performance.now();
    const res = await fetch(`${svc.baseURL}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i}` },
      body: JSON.stringify({ username: 'do.hieu.nang', password }),
    });
    loginTimes.push(performance.now() - started);
    cookie = sessionCookie(res)!;
  }
  const bearer: number[] = [];
  const session: number[] = [];
  const time = async (headers: Record<string, string>, into: number[]) => {
    const started = performance.now();
    const res = await fetch(`${svc.baseURL}/api/admin/collections`, { headers });
    await res.arrayBuffer();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < requests; i++) {
    await time({ authorization: 'Bearer operator-token-0123456789' }, bearer);
    await time({ cookie }, session);
  }
  console.log(`login (scrypt N=2^15, r=8, p=1), ${logins} logins: ${fmt(loginTimes)}`);
  console.log(`GET /api/admin/collections, ${requests} each: bearer ${fmt(bearer)}; session cookie ${fmt(session)}`);
} finally {
  await svc.close();
}
