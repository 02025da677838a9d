// Where a setting of the effective policy came from, for any path the UI shows:
// the origins map is keyed by leaf settings (and by list item), so a deeper
// path is answered by its nearest recorded ancestor, and a container by its
// contents (application if any part of it came from the application).

import type { EffectivePolicy, SettingOrigin } from "./effective-policy-schema";

export function settingOrigin(effective: EffectivePolicy, path: string): SettingOrigin | undefined {
  for (let prefix = path; prefix.length > 1; prefix = parentOf(prefix)) {
    const origin = effective.origins[prefix];
    if (origin) return origin;
  }
  const below = Object.entries(effective.origins).filter(([key]) => key.startsWith(`${path}.`) || key.startsWith(`${path}[`));
  if (below.length === 0) return undefined;
  return below.some(([, origin]) => origin === "application") ? "application" : "baseline";
}

function parentOf(path: string): string {
  if (path.endsWith("]")) return path.slice(0, path.lastIndexOf("["));
  return path.slice(0, path.lastIndexOf("."));
}
