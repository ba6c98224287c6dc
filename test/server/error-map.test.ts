import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { Writable } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AuthError, type AuthErrorCode } from '../../src/auth/index.js';
import { engineErrorCodes, type IngestFailureCode } from '../../src/engine/index.js';
import { IngestError, ingestErrorCodes } from '../../src/ingest/index.js';
import { PackageError, type PackageErrorCode } from '../../src/packages/index.js';
import { AppError } from '../../src/server/app-error.js';
import {
  apiErrors,
  authErrorApiCodes,
  ingestFailureApiCodes,
  packageErrorApiCodes,
  storeErrorApiCodes,
  type ApiErrorCode,
} from '../../src/server/error-map.js';
import { errorResponse, routeNotFound } from '../../src/server/error-response.js';
import { createLogger } from '../../src/server/logger.js';
import { StoreError, storeErrorCodes, type StoreErrorCode } from '../../src/store/index.js';

/** A Hono app whose one route throws `error`, answered by the app's real error handler. */
function throwing(error: unknown) {
  const logs: string[] = [];
  const app = new Hono();
  app.use('*', requestId());
  app.get('/boom', () => {
    throw error;
  });
  app.notFound(routeNotFound);
  app.onError(errorResponse(createLogger('debug', new Writable({ write: (chunk, _e, done) => done(void logs.push(String(chunk))) }))));
  const request = async (path = '/boom') => {
    const res = await app.request(path);
    return { status: res.status, body: await res.json() };
  };
  return { app, request, logs };
}

describe('one error map', () => {
  it('maps every code of every layer, at the type level', () => {
    expectTypeOf<keyof typeof storeErrorApiCodes>().toEqualTypeOf<StoreErrorCode>();
    expectTypeOf<keyof typeof ingestFailureApiCodes>().toEqualTypeOf<IngestFailureCode>();
    expectTypeOf<(typeof storeErrorApiCodes)[StoreErrorCode]>().toMatchTypeOf<ApiErrorCode>();
    expectTypeOf<(typeof ingestFailureApiCodes)[IngestFailureCode]>().toMatchTypeOf<ApiErrorCode>();
  });

  it('has a mapping for every store, ingest and engine code listed at run time, and no stale entry', () => {
    expect(Object.keys(storeErrorApiCodes).sort()).toEqual([...storeErrorCodes].sort());
    expect(Object.keys(ingestFailureApiCodes).sort()).toEqual([...ingestErrorCodes, ...engineErrorCodes].sort());
    for (const api of [...Object.values(storeErrorApiCodes), ...Object.values(ingestFailureApiCodes)])
      expect(apiErrors).toHaveProperty(api);
  });

  it('gives every API code an error status and wording in English and Vietnamese', () => {
    for (const [code, { status, en, vi }] of Object.entries(apiErrors)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(en.length, code).toBeGreaterThan(5);
      // Vietnamese wording carries its marks (tones, ơ, ư, ô, đ), so it is not the English copied.
      expect(vi.normalize('NFD'), code).toMatch(/[\u0300-\u0309\u031b\u0323]|đ/i);
    }
  });

  it.each(storeErrorCodes)('answers a thrown store error %s with its mapped status, code and reason', async (code) => {
    const { status, body } = await throwing(new StoreError(code, `store said ${code}`)).request();
    const api = storeErrorApiCodes[code];
    expect(status).toBe(apiErrors[api].status);
    expect(body).toEqual({ error: { code: api, message: `store said ${code}`, messageVi: apiErrors[api].vi, reason: code } });
  });

  it('names the field of a store input error, as the admin API always did', async () => {
    const error = new StoreError('invalid_input', 'invalid site key', {}, [{ path: ['allowedOrigins', 0], message: 'not an address' }]);
    const { status, body } = await throwing(error).request();
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'invalid_field',
      message: 'allowedOrigins,0: not an address',
      messageVi: `${apiErrors.invalid_field.vi}`,
      reason: 'invalid_input',
      field: ['allowedOrigins', 0],
    });
  });

  it.each(ingestErrorCodes)('answers a thrown ingest error %s with its mapped status and both languages', async (code) => {
    const { status, body } = await throwing(new IngestError(code, `cannot read: ${code}`, `không đọc được: ${code}`)).request();
    expect(status).toBe(apiErrors[ingestFailureApiCodes[code]].status);
    expect(body.error).toMatchObject({
      code: ingestFailureApiCodes[code],
      reason: code,
      message: `cannot read: ${code}`,
      messageVi: `không đọc được: ${code}`,
    });
  });

  it('answers a full disk with 507 storage_full and logs it', async () => {
    const probe = throwing(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    const { status, body } = await probe.request();
    expect(status).toBe(507);
    expect(body.error).toEqual({ code: 'storage_full', message: apiErrors.storage_full.en, messageVi: apiErrors.storage_full.vi });
    expect(probe.logs.join('')).toContain('disk full');
  });

  it("keeps Hono's own exception status, as bad_request or payload_too_large", async () => {
    expect(await throwing(new HTTPException(413, { message: 'too big' })).request()).toEqual({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'too big', messageVi: apiErrors.payload_too_large.vi } },
    });
    expect(await throwing(new HTTPException(400)).request()).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: 'bad request', messageVi: apiErrors.bad_request.vi } },
    });
  });

  it.each([
    [
      'PostgreSQL shutting down (57P01)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['PostgreSQL starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
  ])('answers %s with 503 store_unavailable and Retry-After, not a 500', async (_what, error) => {
    const res = await throwing(error).app.request('/boom');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe(String(apiErrors.store_unavailable.retryAfterSeconds));
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: 'store_unavailable',
      message: apiErrors.store_unavailable.en,
      messageVi: apiErrors.store_unavailable.vi,
      retryAfterSeconds: apiErrors.store_unavailable.retryAfterSeconds,
    });
  });

  it('keeps a client that hung up (ECONNRESET aborted) apart from the store being away', async () => {
    const { status } = await throwing(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })).request();
    expect(status).toBe(400);
  });

  it('answers an unknown error with a plain 500 and the request id, without its message', async () => {
    const probe = throwing(new Error('secret detail /home/x'));
    const { status, body } = await probe.request();
    expect(status).toBe(500);
    expect(body.error).toEqual({
      code: 'internal',
      message: 'something went wrong on the server',
      messageVi: 'Máy chủ gặp lỗi.',
      requestId: expect.any(String),
    });
    expect(probe.logs.join('')).toContain(body.error.requestId);
  });

  it('answers an AppError with its code status and headers, and a missing route with 404', async () => {
    const probe = throwing(new AppError('rate_limited', 'slow down', undefined, { 'retry-after': '7' }));
    const res = await probe.app.request('/boom');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await probe.request('/nowhere')).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'no such route', messageVi: 'Không tìm thấy.' } },
    });
  });
});

describe('account and package errors go through the same map', () => {
  it('maps every account and package code at the type level', () => {
    expectTypeOf<keyof typeof authErrorApiCodes>().toEqualTypeOf<AuthErrorCode>();
    expectTypeOf<keyof typeof packageErrorApiCodes>().toEqualTypeOf<PackageErrorCode>();
    for (const api of [...Object.values(authErrorApiCodes), ...Object.values(packageErrorApiCodes)]) expect(apiErrors).toHaveProperty(api);
  });

  it('answers a throttled login with 429, its reason and a Retry-After header', async () => {
    const { app } = throwing(new AuthError('throttled', 'too many failed sign-ins', 'Đăng nhập sai quá nhiều lần.', 120));
    const res = await app.request('/boom');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await res.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'too many failed sign-ins',
        messageVi: 'Đăng nhập sai quá nhiều lần.',
        reason: 'throttled',
        retryAfterSeconds: 120,
      },
    });
  });

  it('answers a refused package with its mapped status, reason and details', async () => {
    const { status, body } = await throwing(
      new PackageError('unsafe_path', 'entry ../x escapes the package', 'Mục ../x nằm ngoài gói.', { entry: '../x' }),
    ).request();
    expect(status).toBe(422);
    expect(body).toEqual({
      error: {
        code: 'unprocessable_file',
        message: 'entry ../x escapes the package',
        messageVi: 'Mục ../x nằm ngoài gói.',
        reason: 'unsafe_path',
        entry: '../x',
      },
    });
  });
});
