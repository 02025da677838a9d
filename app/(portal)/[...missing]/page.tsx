import { notFound } from "next/navigation";

// Unknown URLs render not-found inside the portal shell (navigation stays usable),
// and only for signed-in users: the layout sends everyone else to sign-in first.
export default function MissingPage() {
  notFound();
}
