// One button per single sign-on provider. Each is a plain link: starting a sign-in is a
// navigation (the provider's pages follow), and it works before any script has loaded.
export function SsoButtons({ providers, next }: { providers: { id: string; displayName: string }[]; next: string }) {
  if (providers.length === 0) return null;
  return (
    <ul className="sso-buttons" aria-label="Single sign-on">
      {providers.map((p) => (
        <li key={p.id}>
          <a className="button button-block" href={`/api/v1/auth/sso/${p.id}/start?next=${encodeURIComponent(next)}`}>
            Sign in with {p.displayName}
          </a>
        </li>
      ))}
    </ul>
  );
}
