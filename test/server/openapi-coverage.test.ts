/**
 * /api/openapi.json describes every route of the app: each route in `app.routes` (as the center
 * isolation matrix enumerates them) is in the document, or in the internal list with a reason
 * (src/routes/api-operations.ts), and the document names no route the app lacks. The routes
 * added after the learner API (centers, sharing, LTI, verified answers, practice, document
 * validity, accounts) were missing before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalRoutes } from '../../src/routes/api-operations.js';
import { openApiPath } from '../../src/routes/openapi.js';
import { startAccountsService, type AccountsService } from '../auth/accounts-service.js';

let svc: AccountsService;
beforeAll(async () => {
  svc = await startAccountsService({ scrypt: { N: 1024, r: 8, p: 1 } });
}, 120_000);
afterAll(() => svc?.close());

describe('GET /api/openapi.json', () => {
  it('lists every route of the app, except the internal ones, and no route the app lacks', async () => {
    const doc = (await (await fetch(`${svc.baseURL}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routes = [...new Set(svc.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    expect(routes.length).toBeGreaterThan(90);
    const missing = routes.filter(
      (r) => !(r in internalRoutes) && !documented.includes(`${r.split(' ')[0]} ${openApiPath(r.split(' ')[1]!)}`),
    );
    expect(missing, 'routes neither in the OpenAPI document nor internal').toEqual([]);
    const asDocumented = new Set(routes.map((r) => `${r.split(' ')[0]} ${openApiPath(r.split(' ')[1]!)}`));
    expect(
      documented.filter((d) => !asDocumented.has(d)),
      'documented routes the app lacks',
    ).toEqual([]);
    expect(
      Object.keys(internalRoutes).filter((r) => !routes.includes(r)),
      'internal routes the app lacks',
    ).toEqual([]);
    expect(
      Object.keys(internalRoutes).filter((r) => documented.includes(`${r.split(' ')[0]} ${openApiPath(r.split(' ')[1]!)}`)),
      'internal and documented',
    ).toEqual([]);
  });

  it('gives path parameters and the request bodies the routes validate', async () => {
    const doc = (await (await fetch(`${svc.baseURL}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
    const patch = doc.paths['/api/admin/verified-answers/{id}']!.patch;
    expect(patch.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties)).toContain('answer');
    const expiring = doc.paths['/api/admin/expiring']!.get;
    expect(expiring.parameters.map((p: { name: string }) => p.name)).toEqual(['days']);
    expect(doc.paths['/api/admin/centers/{id}/users/{userId}']!.delete.parameters.map((p: { name: string }) => p.name)).toEqual([
      'id',
      'userId',
    ]);
  });
});
