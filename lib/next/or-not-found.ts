import "server-only";
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors/app-error";

// Next.js page glue (lib/next/): the domain throws AppError; only pages turn it into notFound().

/**
 * For pages: a domain NOT_FOUND (which is also what another team's resource looks
 * like) renders the not-found page with status 404; any other error propagates.
 */
export async function orNotFound<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
