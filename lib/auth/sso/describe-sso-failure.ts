import type { SsoFailureReason } from "./sso-failure";

// What the failure page says for each reason: what happened, in the user's terms, and
// what to do. Fixed wording only (the provider's own messages are never shown).
export function describeSsoFailure(reason: SsoFailureReason, provider: string): { title: string; body: string } {
  switch (reason) {
    case "unknown-provider":
      return { title: "Unknown sign-in provider", body: "Rampart has no sign-in provider by that name. Start again from the sign-in page." };
    case "provider-unavailable":
      return {
        title: `${provider} cannot be reached`,
        body: `Rampart could not reach ${provider} (it did not answer, or answered with an error). Nothing was changed. Try again in a few minutes; an administrator can still sign in with the break-glass account.`,
      };
    case "client-rejected":
      return {
        title: `${provider} refused Rampart`,
        body: `${provider} did not accept Rampart's client credentials. An administrator needs to check the client id and secret configured for ${provider}.`,
      };
    case "provider-refused":
      return {
        title: "Sign-in cancelled",
        body: `${provider} did not sign you in: the sign-in was cancelled or refused there. Start again if you meant to sign in.`,
      };
    case "state-invalid":
      return {
        title: "This sign-in was not started here",
        body: "The answer from the provider does not belong to a sign-in started in this browser, so it was refused. This happens when a sign-in link is opened in another browser, or after the sign-in was started again elsewhere. Start again from the sign-in page.",
      };
    case "state-replayed":
      return {
        title: "This sign-in was already used",
        body: "The answer from the provider was used once already and cannot be used again. Start again from the sign-in page.",
      };
    case "state-expired":
      return {
        title: "The sign-in took too long",
        body: "More than ten minutes passed between starting the sign-in and coming back. Start again from the sign-in page.",
      };
    case "code-rejected":
      return {
        title: "The sign-in code expired",
        body: `${provider} would not exchange the sign-in code: it expired or was already used. Start again from the sign-in page.`,
      };
    case "nonce-mismatch":
      return {
        title: "The sign-in answer was refused",
        body: `The identity token from ${provider} was not issued for this sign-in (its nonce does not match), so it was refused. Start again; if this keeps happening, tell your security team.`,
      };
    case "wrong-issuer":
      return {
        title: "The sign-in answer was refused",
        body: `The identity token was not issued by ${provider} as configured (wrong issuer), so it was refused. An administrator should check the issuer URL configured for ${provider}.`,
      };
    case "wrong-audience":
      return {
        title: "The sign-in answer was refused",
        body: `The identity token from ${provider} was issued for another application (wrong audience), so it was refused. An administrator should check the client id configured for ${provider}.`,
      };
    case "token-invalid":
      return {
        title: "The sign-in answer was refused",
        body: `The identity token from ${provider} failed validation (its signature, algorithm or expiry), so it was refused. Start again; if this keeps happening, tell your security team.`,
      };
    case "email-unverified":
      return {
        title: "Your email address is not verified",
        body: `${provider} did not vouch for your email address, so Rampart cannot create or find your account. Ask your identity team to verify your email address at ${provider}.`,
      };
    case "groups-overage":
      return {
        title: "Too many groups",
        body: `${provider} sent a reference to your groups instead of the groups themselves (you are in too many). An administrator should configure ${provider} to send only the groups assigned to Rampart.`,
      };
    case "account-disabled":
      return { title: "Your account is disabled", body: "Your Rampart account has been disabled. Ask an administrator to enable it." };
    case "account-conflict":
      return {
        title: "This account cannot sign in here",
        body: `Your email address belongs to a Rampart account that cannot be linked to this ${provider} identity (it is linked to another one, or is the break-glass account). Ask an administrator.`,
      };
    case "throttled":
      return { title: "Too many attempts", body: "Too many sign-ins failed from your network. Wait a few minutes and try again." };
    case "unexpected":
      return {
        title: "Sign-in failed",
        body: "Something went wrong while signing you in. Nothing was changed. Try again; if this keeps happening, tell an administrator.",
      };
  }
}
