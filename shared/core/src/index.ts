export {
  AccountView,
  accountThrottle,
  checkBcryptCost,
  checkCredentials,
  createAccounts,
  Email,
  LOGIN_DELAY_STEP_MS,
  LoginBody,
  RefreshBody,
  registerUser,
  Session,
  SignupBody,
  toAccountView,
  type AccountConfig,
  type AccountLimits,
  type AccountOptions,
} from './accounts/accounts.ts';
export {
  createRefreshTokens,
  newOpaqueToken,
  RefreshToken,
  sha256,
  type IssuedRefreshToken,
  type RefreshTokenOptions,
  type RefreshTokens,
} from './accounts/refresh-tokens.ts';
export { hashCostDiffers, hashPassword, newPassword, verifyPassword } from './accounts/passwords.ts';
export { User, type UserDocument } from './accounts/user.model.ts';
export { createApp, type AppOptions } from './app.ts';
export {
  authenticate,
  createAccess,
  createTokenService,
  grants,
  unauthorized,
  ownedBy,
  principalOf,
  type Access,
  type AccessTokenRef,
  type PermissionMap,
  type PermissionOf,
  type Principal,
  type RevokedAccessTokens,
  type TokenOptions,
  type TokenService,
} from './auth.ts';
export { answerClientErrors } from './client-errors.ts';
export {
  accountConfig,
  authConfig,
  baseConfig,
  loginLimitConfig,
  redisConfig,
  refreshTokenConfig,
  ConfigError,
  loadConfig,
  secret,
  type BaseConfig,
  type Config,
  type ConfigShape,
} from './config.ts';
export { connectMongo, createRedis, mongoReady, redisReady, type Redis } from './db.ts';
export { AppError, badRequest, conflict, forbidden, notFound, ProblemSchema, type FieldError, type Problem } from './errors.ts';
export { type PipelineEvents, type RequestEvent } from './events.ts';
export { type ReadinessCheck } from './health.ts';
export { hostAllowlist, hostnameOf, isLoopbackHost, LOOPBACK_HOSTNAMES } from './hosts.ts';
export { lazy } from './lazy.ts';
export {
  INSPECTOR_LIMITS,
  inspectNodeRedis,
  inspectRequests,
  isInspecting,
  type InspectedItem,
  type InspectionRecord,
  type Insight,
  type JobAttempt,
  type JobPage,
} from './inspector.ts';
export { configureLogger, logger, redact, REDACTED, type LogLevel } from './logger.ts';
export {
  byEmail,
  byEmailAndIp,
  byIp,
  commandsOf,
  hashedKey,
  quota,
  rateLimit,
  slowDown,
  type LimitOptions,
  type SendCommand,
  type SlowDownOptions,
} from './limits.ts';
export { createMailer, mailConfig, type Mail, type Mailer } from './mailer.ts';
export { buildOpenApi } from './openapi.ts';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf, pageQuery, paginate, pagination, type Page, type PageParams } from './pagination.ts';
export { packageInfo, type PackageInfo } from './package-info.ts';
export { ApiRouter, secured, type RouteDoc, type SecurityScheme } from './router.ts';
export { HOW_TO_MAKE_A_SECRET, isSecretKey, SECRET_MIN_BYTES, secretProblem } from './secrets.ts';
export { containing, escapeRegex, MAX_SEARCH_LENGTH, searchText, startingWith } from './search.ts';
export { runMongoScript } from './script.ts';
export { startServer, type RunningServer, type ServerOptions } from './server.ts';
export { stage, type Stage } from './timing.ts';
export { clientBody, IdParams, objectId, validate, type RequestSchemas, type ValidRequest } from './validate.ts';
