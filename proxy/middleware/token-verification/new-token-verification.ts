// Token verification from the policy's authentication section: which paths
// need a token (required, minus public paths, plus any path a claim rule
// covers), which issuers are trusted and with which keys, and which claims
// each path requires. Missing or invalid tokens → 401 with WWW-Authenticate;
// a valid token without the required claims → 403; keys that cannot be
// fetched → 503. Verified tokens are cached (bounded) by their exact text;
// time claims are rechecked on every use.

import type { Bundle } from "@/lib/policy-spec";
import { compilePathMatchers, type PathPredicate } from "../../match/path-matchers.js";
import { blocked, type Decision, type Verdict } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";
import { DEFAULT_JWKS_OPTIONS, sharedJwksCache, type JwksCache, type JwksOptions } from "./jwks-cache.js";
import { toVerificationKey, type VerificationKey } from "./public-key.js";
import { checkClaims, checkHeader, decodeJwt, verifyJws, type DecodedJwt, type JwtFailure, type JwtIssuer } from "./verify-jwt.js";

export interface TokenVerificationOptions {
  /** Cookie that may carry the token when there is no Authorization header. */
  tokenCookie: string | null;
  jwks: JwksOptions;
  now?: () => number;
  /** For tests: a JWKS cache per URL other than the shared one. */
  jwksCacheFor?: (url: string) => JwksCache;
}

interface CompiledIssuer extends JwtIssuer {
  inline: VerificationKey[] | null;
  jwks: JwksCache | null;
}

interface ClaimRule {
  applies: PathPredicate;
  methods: ReadonlySet<string> | null;
  claims: Array<{ name: string; allOf: string[] | null; anyOf: string[] | null }>;
}

const MAX_CANDIDATE_KEYS = 8;
const CACHE_SIZE = 10_000;
const CHALLENGE = 'Bearer realm="rampart"';

export function newTokenVerification(config: Bundle["authentication"], options: TokenVerificationOptions): Middleware | null {
  if (!config.required && config.rules.length === 0) return null;
  const now = options.now ?? Date.now;
  const jwksOptions = options.jwks ?? DEFAULT_JWKS_OPTIONS;
  const issuers = new Map<string, CompiledIssuer>();
  for (const issuer of config.issuers) {
    let inline: VerificationKey[] | null = null;
    if (issuer.keys !== null) {
      inline = issuer.keys.map((jwk, index) => {
        const key = toVerificationKey(jwk);
        if (typeof key === "string") throw new Error(`authentication.issuers ${issuer.issuer} key ${index}: ${key}`);
        return key;
      });
    }
    const jwks = issuer.jwksUrl === null ? null : (options.jwksCacheFor ?? ((url) => sharedJwksCache(url, jwksOptions)))(issuer.jwksUrl);
    if (jwks) void jwks.load(); // warm the cache before the first request needs it
    issuers.set(issuer.issuer, { issuer: issuer.issuer, audiences: new Set(issuer.audiences), algorithms: new Set(issuer.algorithms), inline, jwks });
  }
  const isPublic = compilePathMatchers(config.publicPaths);
  const rules: ClaimRule[] = config.rules.map((rule) => ({
    applies: compilePathMatchers(rule.paths),
    methods: rule.methods === null ? null : new Set(rule.methods),
    claims: rule.claims,
  }));
  const skew = config.clockSkewSeconds;
  const verified = new Map<string, { claims: Record<string, unknown>; issuer: CompiledIssuer }>();

  const unauthorized = (reason: JwtFailure | "missing"): Decision =>
    blocked(401, "auth", `auth.${reason}`, "header", "authorization", reason, [
      ["www-authenticate", reason === "missing" ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`],
    ]);

  const authorize = (ctx: RequestContext, claims: Record<string, unknown>, applicable: ClaimRule[]): Verdict => {
    ctx.claims = claims;
    for (const rule of applicable) {
      for (const requirement of rule.claims) {
        const values = claimValues(claims[requirement.name]);
        const ok =
          (requirement.allOf === null || requirement.allOf.every((v) => values.includes(v))) &&
          (requirement.anyOf === null || requirement.anyOf.some((v) => values.includes(v)));
        if (!ok) {
          return blocked(403, "auth", "auth.claims", "header", "authorization", requirement.name, [
            ["www-authenticate", `${CHALLENGE}, error="insufficient_scope"`],
          ]);
        }
      }
    }
    return null;
  };

  /** Signature and claims (jose) against the issuer's keys; may wait for a JWKS fetch. */
  const verifyWith = async (token: string, decoded: DecodedJwt, issuer: CompiledIssuer): Promise<true | JwtFailure | "no-key" | "unavailable"> => {
    const kid = typeof decoded.header.kid === "string" ? decoded.header.kid : null;
    const tryKeys = async (keys: VerificationKey[] | null): Promise<true | JwtFailure | "no-key"> => {
      if (keys === null) return "no-key";
      const candidates = keys
        .filter((key) => (kid === null || key.kid === null || key.kid === kid) && key.algorithms.has(decoded.header.alg as string))
        .slice(0, MAX_CANDIDATE_KEYS);
      if (candidates.length === 0) return "no-key";
      let failure: JwtFailure = "bad-signature";
      for (const key of candidates) {
        const result = await verifyJws(token, decoded, key, issuer, now() / 1000, skew);
        if (result === true) return true;
        failure = result;
        if (result !== "bad-signature") break; // the signature verified; a claim failed
      }
      return failure;
    };
    if (issuer.inline !== null) return tryKeys(issuer.inline);
    const jwks = issuer.jwks!;
    const current = jwks.current();
    if (current !== null) {
      const result = await tryKeys(current);
      if (result !== "no-key") return result;
      return tryKeys(await jwks.refreshForUnknownKid());
    }
    const keys = await jwks.load();
    return keys === null ? "unavailable" : tryKeys(keys);
  };

  return {
    name: "token-verification",
    onRequest(ctx) {
      if (isPublic(ctx.path, ctx.pathLower)) return null;
      let applicable: ClaimRule[] | null = null;
      for (const rule of rules) {
        if ((rule.methods === null || rule.methods.has(ctx.method)) && rule.applies(ctx.path, ctx.pathLower)) (applicable ??= []).push(rule);
      }
      if (!config.required && applicable === null) return null;
      const applying = applicable ?? [];
      const token = extractToken(ctx, options.tokenCookie);
      if (token === null) return unauthorized("missing");
      const nowSeconds = now() / 1000;

      const cached = verified.get(token);
      if (cached !== undefined) {
        const failure = checkClaims(cached.claims, cached.issuer, nowSeconds, skew);
        return failure ? unauthorized(failure) : authorize(ctx, cached.claims, applying);
      }
      const decoded = decodeJwt(token);
      if (typeof decoded === "string") return unauthorized(decoded);
      const issuer = typeof decoded.claims.iss === "string" ? issuers.get(decoded.claims.iss) : undefined;
      if (issuer === undefined) return unauthorized("unknown-issuer");
      const headerFailure = checkHeader(decoded.header, issuer);
      if (headerFailure) return unauthorized(headerFailure);
      return verifyWith(token, decoded, issuer).then((outcome): Verdict => {
        if (outcome === "unavailable") return blocked(503, "auth", "auth.keys-unavailable", "header", "authorization", issuer.issuer);
        if (outcome !== true) return unauthorized(outcome);
        // jose checked exp, nbf, iss and aud; an iat in the future is refused too
        const failure = checkClaims(decoded.claims, issuer, now() / 1000, skew);
        if (failure) return unauthorized(failure);
        if (verified.size >= CACHE_SIZE) verified.clear();
        verified.set(token, { claims: decoded.claims, issuer });
        return authorize(ctx, decoded.claims, applying);
      });
    },
  };
}

function extractToken(ctx: RequestContext, cookieName: string | null): string | null {
  const authorization = ctx.headers.authorization;
  if (typeof authorization === "string") {
    if (authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === "bearer ") {
      const token = authorization.slice(7).trim();
      return token.length > 0 ? token : null;
    }
    return null; // another scheme is not a bearer token
  }
  if (cookieName === null) return null;
  const cookie = ctx.header("cookie");
  if (cookie === undefined) return null;
  for (const part of cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === cookieName) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** A claim as the list of values rules compare against: space-separated strings (scope) are split. */
function claimValues(value: unknown): string[] {
  if (typeof value === "string") return value.split(" ").filter((v) => v.length > 0);
  if (Array.isArray(value)) return value.filter((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean").map(String);
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  return [];
}
