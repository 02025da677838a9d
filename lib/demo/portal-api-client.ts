// The portal's REST API as a person drives it: sign in for a session cookie, then call
// /api/v1 with it. Plain fetch, no portal imports: `npm run demo`, the e2e tests and the
// delivery benchmark all run it from outside the portal, as a client would.

/** The demo organisation's shared password (prisma/seed.ts). */
export const DEMO_PASSWORD = "rampart-demo-password";

/** A non-2xx answer, with its status and body so a test can say what went wrong. */
export class PortalApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
    this.name = "PortalApiError";
  }
}

/** Signs in through the API; returns the session cookie header. */
export async function signInCookie(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await fetch(new URL("/api/v1/auth/login", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new PortalApiError(`sign-in of ${email}: ${response.status} ${await response.text()}`, response.status, "");
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

/** One signed-in person's calls: `call("POST", "/policies", body, ifMatch)` → the parsed JSON, or a PortalApiError. */
export type PortalApi = <T = unknown>(method: string, route: string, body?: unknown, ifMatch?: number) => Promise<T>;

export function portalApi(baseUrl: string, cookie: string): PortalApi {
  return async <T>(method: string, route: string, body?: unknown, ifMatch?: number): Promise<T> => {
    const response = await fetch(new URL(`/api/v1${route}`, baseUrl), {
      method,
      headers: {
        cookie,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(ifMatch !== undefined ? { "if-match": `"${ifMatch}"` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new PortalApiError(`${method} ${route}: ${response.status} ${text}`, response.status, text);
    return (text ? JSON.parse(text) : null) as T;
  };
}
