// Where a membership came from: an administrator gave it, or a provider's group does (and
// the next single sign-on re-applies it).
export function MembershipSource({ source, provider, idpGroup }: { source: "manual" | "idp"; provider: string | null; idpGroup: string | null }) {
  if (source !== "idp") return <span className="badge badge-neutral">Manual</span>;
  return (
    <span className="badge badge-idp" title={idpGroup ? `From the group ${idpGroup} at ${provider}` : `From ${provider}`}>
      IdP: {provider}
      {idpGroup ? ` · ${idpGroup}` : ""}
    </span>
  );
}
