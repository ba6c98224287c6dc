import { z } from 'zod';

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) address');

/** Moodle's standard LTI 1.3 endpoints, under the site's base address. */
export const moodlePaths = { authUrl: '/mod/lti/auth.php', tokenUrl: '/mod/lti/token.php', jwksUrl: '/mod/lti/certs.php' } as const;

/**
 * A platform registration as the admin API receives it: every URL given, or `moodleUrl` (the
 * Moodle site's address) to fill in the issuer and Moodle's standard paths; given fields win.
 */
export const platformInputSchema = z
  .object({
    moodleUrl: httpUrl.optional(),
    issuer: httpUrl.optional(),
    clientId: z.string().trim().min(1).max(255),
    deploymentIds: z
      .array(z.string().trim().min(1).max(255))
      .min(1)
      .max(50)
      .transform((ids) => [...new Set(ids)]),
    authUrl: httpUrl.optional(),
    tokenUrl: httpUrl.optional(),
    jwksUrl: httpUrl.optional(),
  })
  .transform((input, ctx) => {
    const base = input.moodleUrl?.replace(/\/+$/, '');
    const filled = {
      issuer: input.issuer ?? base,
      clientId: input.clientId,
      deploymentIds: input.deploymentIds,
      authUrl: input.authUrl ?? (base && base + moodlePaths.authUrl),
      tokenUrl: input.tokenUrl ?? (base && base + moodlePaths.tokenUrl),
      jwksUrl: input.jwksUrl ?? (base && base + moodlePaths.jwksUrl),
    };
    for (const field of ['issuer', 'authUrl', 'tokenUrl', 'jwksUrl'] as const) {
      if (!filled[field]) ctx.addIssue({ code: 'custom', path: [field], message: `required (or give moodleUrl to fill it in)` });
    }
    return filled as { issuer: string; clientId: string; deploymentIds: string[]; authUrl: string; tokenUrl: string; jwksUrl: string };
  });

export type PlatformInput = z.input<typeof platformInputSchema>;
export type PlatformFields = z.output<typeof platformInputSchema>;
