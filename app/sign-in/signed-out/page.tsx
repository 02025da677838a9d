import { redirect } from "next/navigation";

// Where a provider sends the browser after RP-initiated logout. It is registered at the
// provider as a plain path (providers match post-logout URIs exactly; some refuse a query).
export default function SignedOutPage() {
  redirect("/sign-in?signed-out=1");
}
