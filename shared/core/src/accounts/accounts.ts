import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { authenticate, createTokenService, principalOf, unauthorized, type RevokedAccessTokens, type TokenService } from '../auth.ts';
import type { AppError } from '../errors.ts';
import { ConfigError, type accountConfig, type Config, type loginLimitConfig } from '../config.ts';
import { byEmail, byEmailAndIp, byIp, rateLimit, slowDown, type SendCommand } from '../limits.ts';
import { ApiRouter } from '../router.ts';
import { clientBody, validate, type ValidRequest } from '../validate.ts';
import { hashCostDiffers, hashPassword, newPassword, verifyPassword } from './passwords.ts';
import type { IssuedRefreshToken, RefreshTokens } from './refresh-tokens.ts';
import { User, type UserDocument } from './user.model.ts';

/** What the accounts need from a service's config: accountConfig's keys, and NODE_ENV. */
export type AccountConfig = Pick<
  Config<typeof accountConfig>,
  'NODE_ENV' | 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_ACCESS_TTL_SECONDS' | 'BCRYPT_COST'
>;

/** An email as accounts store it: trimmed and lower-cased before the format check, so the stored form is the one compared. */
export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254)).meta({ example: 'ada@example.com' });

/**
 * A signup body: the fields a client may choose. Like every resource body (clientBody), the
 * server-set fields (`role`, `_id`, `createdAt`…) are accepted and ignored — a new account is
 * always a `user` — and any other unknown field (`passwordHash`, a misspelt `nmae`) is a 400
 * naming it.
 */
export const SignupBody = clientBody(
  z.object({
    email: Email,
    password: newPassword,
    name: z.string().trim().min(1).max(100).optional(),
  }),
);
/** Commands (login, refresh) are strict: an unknown field is a 400 naming it. */
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(1024) });

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
    refreshToken: z.string().optional().describe('opaque; trade it at POST /auth/refresh (services with refresh tokens only)'),
    refreshExpiresIn: z
      .int()
      .optional()
      .describe('seconds until the refresh token expires: unused that long, or at the end of its login (REFRESH_FAMILY_MAX_SECONDS)'),
  })
  .meta({ id: 'Session' });

/** A refresh token in a request body: opaque base64url, so anything else (an object, a huge string) is a 400. */
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256) });

/** Signup and login throttling: counters in Redis, limits from loginLimitConfig's keys. */
export type AccountLimits = z.output<z.ZodObject<typeof loginLimitConfig>> & {
  redis: SendCommand;
  keyPrefix?: string;
  /** How a slowed-down login waits: a timer by default; tests record the wait instead. */
  sleep?: (ms: number) => Promise<void>;
};

export interface AccountOptions {
  /**
   * The service's name, its package name (`packageInfo(import.meta.url).name`): the audience its
   * tokens carry and require unless JWT_AUDIENCE is set, so a token another service signed with
   * the same secret is refused here.
   */
  service: string;
  /** Throttle POST /signup per IP and POST /login per IP, per account and IP, and account-wide (see accountThrottle). */
  limits?: AccountLimits;
  /** Hand out rotating refresh tokens with every session, and mount POST /refresh and /logout. */
  refreshTokens?: RefreshTokens;
  /**
   * A deny-list of access tokens: authenticate() refuses the ones on it, and POST /logout puts the
   * Bearer token sent with it there. Without one, an access token outlives its logout until it expires.
   */
  revokedAccessTokens?: RevokedAccessTokens;
}

/** The public view of an account: never the password hash, never `__v`. */
export function toAccountView(user: Pick<UserDocument, '_id' | 'email' | 'name' | 'role' | 'createdAt'>): AccountView {
  return {
    // _id, not the id getter: a lean record from paginate() has only _id.
    id: String(user._id),
    email: user.email,
    ...(user.name ? { name: user.name } : {}),
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

const wrongCredentials = () => unauthorized('Email or password is incorrect.', undefined, 'invalid-credentials');

/** Refuses a bcrypt cost below 10 in production: fast hashes make a stolen database quick to crack. */
export function checkBcryptCost({ NODE_ENV, BCRYPT_COST }: { NODE_ENV: string; BCRYPT_COST: number }): number {
  if (NODE_ENV === 'production' && BCRYPT_COST < 10) throw new ConfigError(`BCRYPT_COST is ${BCRYPT_COST}: production needs at least 10.`);
  return BCRYPT_COST;
}

/** Signup's use case: a new account with role user. A taken email fails on the unique index (409), nothing written. */
export async function registerUser({ email, password, name }: z.output<typeof SignupBody>, cost: number): Promise<UserDocument> {
  return User.create({ email, name, passwordHash: await hashPassword(password, cost) });
}

/**
 * Login's use case: the account these credentials belong to, or the same 401 for an unknown
 * email and a wrong password (same status, body and bcrypt time). `refuse` builds that 401: by
 * default with a Bearer challenge; a cookie-session service passes its own.
 *
 * A hash stored at another cost than `cost` is replaced by one at `cost` here, the only moment
 * the password is known: after BCRYPT_COST changes, each account's login time (and the decoy's)
 * comes back in line at its next sign-in.
 */
export async function checkCredentials(
  { email, password }: z.output<typeof LoginBody>,
  cost: number,
  refuse: () => AppError = wrongCredentials,
): Promise<UserDocument> {
  const user = await User.findOne({ email }).select('+passwordHash');
  if (!(await verifyPassword(password, user?.passwordHash, cost)) || !user) throw refuse();
  if (hashCostDiffers(user.passwordHash, cost)) {
    // Only over the hash just checked: a password reset that landed meanwhile must not be undone.
    const rehashed = await hashPassword(password, cost);
    await User.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: { passwordHash: rehashed } });
  }
  return user;
}

/**
 * The accounts every service with users mounts (at /auth), so every resource has a real owner:
 * POST /signup, POST /login (a short-lived JWT access token, for this service alone) and GET /me;
 * with options, login throttling and rotating refresh tokens (POST /refresh, POST /logout).
 * Returns the router and the token service, which createAccess({ tokens, permissions }) takes.
 */
export function createAccounts(
  config: AccountConfig,
  { service, limits, refreshTokens, revokedAccessTokens }: AccountOptions,
): { router: ApiRouter; tokens: TokenService } {
  const cost = checkBcryptCost(config);
  const tokens = createTokenService({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE ?? service,
    ttlSeconds: config.JWT_ACCESS_TTL_SECONDS,
    revoked: revokedAccessTokens,
  });
  /** The answer to signup, login and refresh; `rotated` is the token a rotation already issued (else a new family starts). */
  const session = async (user: UserDocument, rotated?: IssuedRefreshToken): Promise<z.infer<typeof Session>> => {
    const refresh = rotated ?? (await refreshTokens?.issue(user.id as string));
    return {
      user: toAccountView(user),
      accessToken: tokens.sign({ id: user.id as string, role: user.role }),
      tokenType: 'Bearer' as const,
      expiresIn: config.JWT_ACCESS_TTL_SECONDS,
      ...(refresh ? { refreshToken: refresh.token, refreshExpiresIn: refresh.expiresIn } : {}),
    };
  };

  const signup = { body: SignupBody };
  const login = { body: LoginBody };
  const refresh = { body: RefreshBody };
  const throttle = limits ? accountThrottle(limits) : { signup: [], loginPerIp: [], loginPerAccount: [] };

  const router = new ApiRouter('accounts')
    .post(
      '/signup',
      { summary: 'Create an account (role is always user) and sign in', responses: { 201: Session } },
      ...throttle.signup,
      validate(signup),
      async (req: ValidRequest<typeof signup>, res: Response) => {
        res.status(201).json(await session(await registerUser(req.body, cost)));
      },
    )
    .post(
      '/login',
      { summary: 'Sign in: the same 401 for an unknown email and a wrong password', responses: { 200: Session } },
      ...throttle.loginPerIp,
      validate(login),
      ...throttle.loginPerAccount,
      async (req: ValidRequest<typeof login>, res: Response) => {
        res.json(await session(await checkCredentials(req.body, cost)));
      },
    )
    .get('/me', { summary: 'The signed-in account', responses: { 200: AccountView } }, authenticate(tokens), async (req, res: Response) => {
      const user = await User.findById(principalOf(req).id);
      if (!user) throw unauthorized('This account no longer exists.', 'invalid_token');
      res.json(toAccountView(user));
    });

  if (refreshTokens) {
    router
      .post(
        '/refresh',
        { summary: 'Trade a refresh token for a new pair; an already-used one signs out its whole family', responses: { 200: Session } },
        validate(refresh),
        async (req: ValidRequest<typeof refresh>, res: Response) => {
          const rotated = await refreshTokens.rotate(req.body.refreshToken);
          const user = await User.findById(rotated.userId);
          if (!user) throw unauthorized('This account no longer exists.', undefined, 'invalid-refresh-token');
          res.json(await session(user, rotated));
        },
      )
      .post(
        '/logout',
        {
          summary: 'Revoke the refresh token and every token rotated from the same login',
          description: 'With a deny-list of access tokens, the one sent as `Authorization: Bearer …` stops working too.',
          responses: { 204: 'Signed out (also for a token that was not valid)' },
        },
        validate(refresh),
        async (req: ValidRequest<typeof refresh>, res: Response) => {
          await refreshTokens.revoke(req.body.refreshToken);
          // Optional, and never a reason to refuse a logout: a missing or bad token has nothing to recall.
          const [scheme, accessToken] = (req.get('authorization') ?? '').split(' ');
          if (scheme?.toLowerCase() === 'bearer' && accessToken) await tokens.revoke(accessToken);
          res.status(204).end();
        },
      );
  }

  return { router, tokens };
}

/** Each failure past LOGIN_SLOWDOWN_AFTER adds this much to the wait (up to LOGIN_MAX_DELAY_MS). */
export const LOGIN_DELAY_STEP_MS = 1000;

/**
 * The limits on signup and login (OWASP Authentication cheat sheet; ASVS 2.2.1), each a list
 * of middleware to spread into the route:
 *
 * - `signup`: every attempt per IP, before validation, so a flood of signups (a bcrypt hash
 *   each) and a walk through emails for 409s both stop at SIGNUP_MAX_PER_IP.
 * - `loginPerIp`: every attempt per IP, before validation: one client spraying many accounts.
 * - `loginPerAccount`, after validation (they key on the normalised email):
 *   failures per account *and* IP → 429 for that IP only, so a guesser locks out itself, not
 *   the account's owner; then failures per account from all IPs past LOGIN_SLOWDOWN_AFTER →
 *   each attempt waits longer (1 s per failure, up to LOGIN_MAX_DELAY_MS) but is never refused,
 *   so many guessers are slowed down and the owner with the right password still gets in.
 */
export function accountThrottle({
  redis,
  keyPrefix,
  sleep,
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_PER_IP,
  LOGIN_SLOWDOWN_AFTER,
  LOGIN_MAX_DELAY_MS,
  LOGIN_WINDOW_SECONDS,
  SIGNUP_MAX_PER_IP,
  SIGNUP_WINDOW_SECONDS,
}: AccountLimits): { signup: RequestHandler[]; loginPerIp: RequestHandler[]; loginPerAccount: RequestHandler[] } {
  const store = { redis, ...(keyPrefix ? { keyPrefix } : {}) };
  const login = { ...store, windowSeconds: LOGIN_WINDOW_SECONDS };
  return {
    signup: [
      rateLimit({
        name: 'signup-ip',
        limit: SIGNUP_MAX_PER_IP,
        ...store,
        windowSeconds: SIGNUP_WINDOW_SECONDS,
        by: byIp,
        detail: 'Too many sign-ups from this address; try again later.',
      }),
    ],
    loginPerIp: [
      rateLimit({
        name: 'login-ip',
        limit: LOGIN_MAX_PER_IP,
        ...login,
        by: byIp,
        detail: 'Too many sign-in attempts from this address; try again later.',
      }),
    ],
    loginPerAccount: [
      rateLimit({
        name: 'login-account-ip',
        limit: LOGIN_MAX_FAILURES,
        ...login,
        by: byEmailAndIp,
        failuresOnly: true,
        detail: 'Too many failed sign-ins for this account from this address; try again later.',
      }),
      // After the per-source limit: the attempts it refused are not counted here again.
      slowDown({
        name: 'login-account',
        after: LOGIN_SLOWDOWN_AFTER,
        delayMs: (over) => Math.min(over * LOGIN_DELAY_STEP_MS, LOGIN_MAX_DELAY_MS),
        ...login,
        by: byEmail,
        failuresOnly: true,
        ...(sleep ? { sleep } : {}),
      }),
    ],
  };
}
