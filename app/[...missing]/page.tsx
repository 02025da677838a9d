import { notFound } from "next/navigation";

// Any URL no page serves answers 404 with app/not-found.tsx, signed in or not. It sits
// outside the (portal) group on purpose: that layout sends a visitor without a session to
// sign-in (a 200 page) before a page inside it could say the path does not exist.
export default function MissingPage() {
  notFound();
}
