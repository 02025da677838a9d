import Link from "next/link";

/** Rampart's logo and name, linking home: the start of every top bar, signed in or not. */
export function BrandLink() {
  return (
    <Link href="/" className="brand">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" className="brand-mark">
        <path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Z" fill="currentColor" />
        <path d="m8.5 12 2.5 2.5 4.5-5" fill="none" stroke="#0f1b2d" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>Rampart</span>
    </Link>
  );
}
