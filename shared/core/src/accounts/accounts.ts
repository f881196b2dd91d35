import type { Response } from 'express';
import { z } from 'zod';
import { authenticate, createTokenService, principalOf, unauthorized, type TokenService } from '../auth.ts';
import { ConfigError, type accountConfig, type Config } from '../config.ts';
import { ApiRouter } from '../router.ts';
import { validate, type ValidRequest } from '../validate.ts';
import { hashPassword, newPassword, verifyPassword } from './passwords.ts';
import { User, type UserDocument } from './user.model.ts';

/** What the accounts need from a service's config: accountConfig's keys, and NODE_ENV. */
export type AccountConfig = Pick<Config<typeof accountConfig>, 'NODE_ENV' | 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_ACCESS_TTL_SECONDS' | 'BCRYPT_COST'>;

// Trimmed and lower-cased before the format check, so the stored form is the one compared.
const email = z.string().trim().toLowerCase().pipe(z.email().max(254)).meta({ example: 'ada@example.com' });

/** Signup takes these three fields; anything else in the body (role, _id, createdAt…) is dropped. */
export const SignupBody = z.object({
  email,
  password: newPassword,
  name: z.string().trim().min(1).max(100).optional(),
});
export const LoginBody = z.object({ email, password: z.string().min(1).max(1024) });

export const AccountView = z
  .object({
    id: z.string(),
    email: z.email(),
    name: z.string().optional(),
    role: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Account' });
export type AccountView = z.infer<typeof AccountView>;

export const Session = z
  .object({
    user: AccountView,
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().describe('seconds until the access token expires'),
  })
  .meta({ id: 'Session' });

/** The public view of an account: never the password hash, never `__v`. */
export function toAccountView(user: UserDocument): AccountView {
  return {
    id: user.id as string,
    email: user.email,
    ...(user.name ? { name: user.name } : {}),
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

const wrongCredentials = () => unauthorized('Email or password is incorrect.', undefined, 'invalid-credentials');

/**
 * The accounts every level-02 service mounts (at /auth), so every resource has a real owner:
 * POST /signup, POST /login (a short-lived JWT access token) and GET /me.
 * Returns the router and the token service createApp({ tokens }) needs for authenticate().
 */
export function createAccounts(config: AccountConfig): { router: ApiRouter; tokens: TokenService } {
  if (config.NODE_ENV === 'production' && config.BCRYPT_COST < 10) {
    throw new ConfigError(`BCRYPT_COST is ${config.BCRYPT_COST}: production needs at least 10.`);
  }
  const cost = config.BCRYPT_COST;
  const tokens = createTokenService({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.JWT_ACCESS_TTL_SECONDS,
  });
  const session = (user: UserDocument) => ({
    user: toAccountView(user),
    accessToken: tokens.sign({ id: user.id as string, role: user.role }),
    tokenType: 'Bearer' as const,
    expiresIn: config.JWT_ACCESS_TTL_SECONDS,
  });

  const signup = { body: SignupBody };
  const login = { body: LoginBody };

  const router = new ApiRouter('accounts')
    .post(
      '/signup',
      { summary: 'Create an account (role is always user) and sign in', responses: { 201: Session } },
      validate(signup),
      async (req: ValidRequest<typeof signup>, res: Response) => {
        const { email, password, name } = req.body;
        // A taken email fails on the unique index: 409 from the error handler, nothing written.
        const user = await User.create({ email, name, passwordHash: await hashPassword(password, cost) });
        res.status(201).json(session(user));
      },
    )
    .post(
      '/login',
      { summary: 'Sign in: the same 401 for an unknown email and a wrong password', responses: { 200: Session } },
      validate(login),
      async (req: ValidRequest<typeof login>, res: Response) => {
        const user = await User.findOne({ email: req.body.email }).select('+passwordHash');
        if (!(await verifyPassword(req.body.password, user?.passwordHash, cost)) || !user) throw wrongCredentials();
        res.json(session(user));
      },
    )
    .get('/me', { summary: 'The signed-in account', responses: { 200: AccountView } }, authenticate(), async (req, res: Response) => {
      const user = await User.findById(principalOf(req).id);
      if (!user) throw unauthorized('This account no longer exists.', 'invalid_token');
      res.json(toAccountView(user));
    });

  return { router, tokens };
}
