import { z } from "zod";
import { changePasswordInput, loginInput, meSchema } from "@/lib/auth/auth-schemas";
import { userSchema } from "@/lib/users/user-schemas";
import { defineOperation } from "../operation";

export const loginOperation = defineOperation({
  id: "login",
  method: "POST",
  path: "/auth/login",
  summary: "Sign in with email and password; sets the session cookie",
  tag: "auth",
  access: "public",
  body: loginInput,
  response: z.object({ user: userSchema }),
});

export const logoutOperation = defineOperation({
  id: "logout",
  method: "POST",
  path: "/auth/logout",
  summary:
    "Sign out: revokes the session and clears the cookie; for a single sign-on session, endSessionUrl is where the provider ends its own (RP-initiated logout)",
  tag: "auth",
  access: "public",
  response: z.object({ endSessionUrl: z.string().nullable() }),
});

export const getMeOperation = defineOperation({
  id: "getMe",
  method: "GET",
  path: "/me",
  summary: "The caller: profile, memberships and effective permissions",
  tag: "auth",
  access: "authenticated",
  response: meSchema,
});

export const changePasswordOperation = defineOperation({
  id: "changePassword",
  method: "POST",
  path: "/me/password",
  summary: "Change the caller's password (signs out their other sessions)",
  tag: "auth",
  access: "authenticated",
  body: changePasswordInput,
  response: z.null(),
  successStatus: 204,
});
