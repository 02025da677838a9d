// Threat-intelligence lists named by a policy (`threatIntel.lists[].name`),
// supplied by the operator as files: <dir>/<name>.txt (or .netset/.ipset, the
// FireHOL names), one address or network a line, "#" and ";" comments.
// A list the policy names but the operator has not supplied is an error:
// a block list that silently blocks nothing would be worse than a refusal.

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseCidr, toIpRangeSet, type IpRange, type IpRangeSet } from "@/lib/policy-spec";

const EXTENSIONS = [".txt", ".netset", ".ipset"];

export interface ThreatList {
  name: string;
  file: string;
  version: string;
  ranges: IpRangeSet;
  entries: number;
}

export function parseThreatList(text: string, name: string, file: string, version = ""): ThreatList {
  const ranges: IpRange[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const hash = line.search(/[#;]/);
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line === "") continue;
    const parsed = parseCidr(line);
    if (!parsed.ok) throw new Error(`${file}:${i + 1}: "${line.slice(0, 60)}" is not an address or network`);
    ranges.push(parsed.range);
  }
  return { name, file, version, ranges: toIpRangeSet(ranges), entries: ranges.length };
}

const cache = new Map<string, ThreatList>();

export function loadThreatList(dir: string | null, name: string): ThreatList {
  if (dir === null) throw new Error(`the policy uses threat-intel list "${name}": supply it with --threat-intel-dir (a file ${name}.txt)`);
  const file = EXTENSIONS.map((ext) => path.join(dir, `${name}${ext}`)).find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`the policy uses threat-intel list "${name}", but ${path.join(dir, `${name}.txt`)} does not exist`);
  const stat = statSync(file);
  const version = `${stat.size}:${stat.mtimeMs}`;
  const cached = cache.get(file);
  if (cached && cached.version === version) return cached;
  const list = parseThreatList(readFileSync(file, "utf8"), name, file, version);
  cache.set(file, list);
  return list;
}
