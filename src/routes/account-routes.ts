import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  centerNameSchema,
  centerRoleSchema,
  collectionLimitSchema,
  isOperator,
  newPasswordSchema,
  usernameSchema,
  type AuthService,
} from '../auth/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { clientIp } from '../server/client-ip.js';
import { requestOrigin } from '../server/request-origin.js';
import { jsonBody, queryParams } from '../server/validate.js';
import { auditCsv } from './audit-csv.js';
import type { AdminResponse as R } from '../contract/index.js';

const centerCreateSchema = z.object({ name: centerNameSchema }).strict();
const centerPatchSchema = z.object({ name: centerNameSchema.optional(), status: z.enum(['active', 'suspended']).optional() }).strict();
const userCreateSchema = z
  .object({ username: usernameSchema, password: newPasswordSchema, role: centerRoleSchema, collections: collectionLimitSchema.optional() })
  .strict();
const userPatchSchema = z
  .object({ role: centerRoleSchema.optional(), collections: collectionLimitSchema.optional(), disabled: z.boolean().optional() })
  .strict();
const invitationSchema = z.object({ role: centerRoleSchema, collections: collectionLimitSchema.optional() }).strict();
const auditQuerySchema = z
  .object({
    center: z.string().min(1).max(64).optional(),
    action: z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/)
      .optional(),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2026-12-07')
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}/, 'a date like 2026-12-07')
      .optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/**
 * Centers, accounts, invitation and reset links, and the audit log, under `/api/admin` (after
 * `adminAuth`). The operator manages every center; a center admin its own center's accounts.
 */
export function accountRoutes(deps: AppDeps, auth: AuthService): Hono {
  const app = new Hono();
  const source = (c: Context) => ({ actor: c.get('actor'), ip: clientIp(c, deps.config.trustProxy) });
  const base = (c: Context) => deps.config.publicUrl ?? requestOrigin(c);
  // In the fragment: never sent to a server, so not in access logs or a proxy's.
  const link = (c: Context, kind: 'invite' | 'reset', token: string) => `${base(c)}/admin#${kind}=${token}`;

  app.get('/centers', async (c) => c.json({ centers: await auth.accounts.listCenters(c.get('actor')) } satisfies R<'GET /centers'>));
  app.post('/centers', async (c) => {
    const body = await jsonBody(c, centerCreateSchema);
    return c.json((await auth.accounts.createCenter(source(c), body.name)) satisfies R<'POST /centers'>, 201);
  });
  app.patch('/centers/:id', async (c) => {
    const body = await jsonBody(c, centerPatchSchema);
    return c.json((await auth.accounts.updateCenter(source(c), c.req.param('id'), body)) satisfies R<'PATCH /centers/:id'>);
  });

  app.post('/operators', async (c) => {
    const body = await jsonBody(c, z.object({ username: usernameSchema, password: newPasswordSchema }).strict());
    return c.json({ user: await auth.accounts.createOperator(source(c), body) }, 201);
  });

  app.get('/centers/:id/users', async (c) =>
    c.json({ users: await auth.accounts.listUsers(c.get('actor'), c.req.param('id')) } satisfies R<'GET /centers/:id/users'>),
  );
  app.post('/centers/:id/users', async (c) => {
    const body = await jsonBody(c, userCreateSchema);
    if (body.password.normalize('NFKC').toLowerCase() === body.username) {
      throw new AppError('invalid_field', 'password: must not be the username', {
        field: 'password',
        messageVi: 'Mật khẩu không được trùng tên đăng nhập.',
      });
    }
    return c.json({ user: await auth.accounts.createUser(source(c), c.req.param('id'), body) } satisfies R<'POST /centers/:id/users'>, 201);
  });
  app.patch('/centers/:id/users/:userId', async (c) => {
    const body = await jsonBody(c, userPatchSchema);
    return c.json({
      user: await auth.accounts.updateUser(source(c), c.req.param('id'), c.req.param('userId'), body),
    } satisfies R<'PATCH /centers/:id/users/:userId'>);
  });
  app.delete('/centers/:id/users/:userId', async (c) => {
    await auth.accounts.deleteUser(source(c), c.req.param('id'), c.req.param('userId'));
    return c.json({ ok: true } satisfies R<'DELETE /centers/:id/users/:userId'>);
  });
  app.post('/centers/:id/invitations', async (c) => {
    const body = await jsonBody(c, invitationSchema);
    const { token, expiresAt } = await auth.accounts.createInvitation(source(c), c.req.param('id'), body);
    c.header('cache-control', 'no-store');
    return c.json({ link: link(c, 'invite', token), expiresAt: expiresAt.toISOString() } satisfies R<'POST /centers/:id/invitations'>, 201);
  });
  app.post('/centers/:id/users/:userId/reset-link', async (c) => {
    const { token, expiresAt, username } = await auth.accounts.createResetLink(source(c), c.req.param('id'), c.req.param('userId'));
    c.header('cache-control', 'no-store');
    return c.json(
      {
        link: link(c, 'reset', token),
        username,
        expiresAt: expiresAt.toISOString(),
      } satisfies R<'POST /centers/:id/users/:userId/reset-link'>,
      201,
    );
  });

  /** The audit filter a caller may use: a center admin its own center's; the operator any (or all). */
  const auditFilter = (c: Context, limitMax?: number) => {
    const q = queryParams(
      c,
      limitMax ? auditQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(limitMax).default(limitMax) }) : auditQuerySchema,
    );
    const actor = c.get('actor');
    // The operator: `?center=`, else the center picked with `X-Center` (request-center.ts), else all.
    let centerId = q.center ?? (c.req.header('x-center') ? c.get('centerId') : undefined);
    if (!isOperator(actor)) {
      if (actor.kind !== 'user' || actor.role !== 'center_admin') {
        throw new AppError('forbidden', 'only a center admin may read the audit log', {
          reason: 'role',
          messageVi: 'Chỉ quản trị viên của trung tâm được xem nhật ký thao tác.',
        });
      }
      if (centerId !== undefined && centerId !== actor.centerId) throw new AppError('not_found', 'no such center');
      centerId = actor.centerId!;
    }
    return {
      ...(centerId !== undefined ? { centerId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.before ? { before: q.before } : {}),
      limit: q.limit,
    };
  };
  app.get('/audit', async (c) => c.json((await auth.stores.audit.list(auditFilter(c))) satisfies R<'GET /audit'>));
  app.get('/audit.csv', async (c) => {
    const filter = auditFilter(c, 100_000);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="nhat-ky-${new Date().toISOString().slice(0, 10)}.csv"`);
    return c.body(auditCsv((await auth.stores.audit.list(filter)).entries));
  });

  return app;
}
