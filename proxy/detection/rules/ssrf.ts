// Server-side request forgery: URLs aimed at cloud metadata services,
// loopback/internal hosts (including decimal/hex/octal IP spellings) and
// schemes that turn an HTTP fetcher into a protocol smuggler.
import { C, K, K_INPUT, reHit, type Rule } from "../subject.js";
import { isFirstToken } from "./context.js";

const SCHEME = String.raw`[a-z][a-z0-9+.-]{1,15}:(?:\/\/?|\\\\)?(?:[^/@\s?#]{0,200}@)?`;
const METADATA_IP = String.raw`(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|192\.0\.0\.192|\[?fd00:ec2::254\]?|0xa9fea9fe|2852039166|0251\.0376\.0251\.0376)`;
const METADATA_HOST = String.raw`(?:metadata\.google\.internal|metadata\.packet\.net|metadata\.platformequinix\.com|metadata\.azure\.com|metadata\.tencentyun\.com|instance-data(?:\.ec2\.internal)?)`;
const CLOUD_METADATA = new RegExp(
  `(?:^|[\\s"'=(<,/])${SCHEME}(?:${METADATA_IP}(?::\\d+)?(?:[/?#]|$)|${METADATA_HOST}(?::\\d+)?\\/[a-z0-9]|[^/\\s]{1,100}\\/(?:latest\\/(?:meta-data|user-data|api\\/token|dynamic)|computemetadata\\/v1|metadata\\/(?:instance|identity|v1)|openstack\\/latest)\\b)`,
);
const INTERNAL_NAME = String.raw`(?:localhost(?:\.localdomain)?|localhost[46](?:\.localdomain[46])?|ip6-(?:localhost|loopback)|ipv6-(?:localhost|loopback)|(?:host|gateway|kubernetes)\.docker\.internal|host\.containers\.internal|(?:[a-z0-9-]{1,63}\.){1,4}(?:svc\.cluster\.local|svc|cluster\.local)|kubernetes\.default|(?:[a-z0-9-]{1,63}\.)?(?:localtest\.me|lvh\.me|vcap\.me|fuf\.me|localho\.st)|\d{1,3}(?:[.-]\d{1,3}){3}\.(?:nip|sslip|xip)\.io)`;
const INTERNAL_IP = String.raw`(?:127(?:\.\d{1,8}){0,3}|0\.0\.0\.0|0|10(?:\.\d{1,8}){1,3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2}|\[[0:]{0,40}(?:1|ffff:[0-9a-f.:]{1,40})?\]|\[f[cd][0-9a-f]{0,2}:[0-9a-f:.]{0,40}\]|\[fe80:[0-9a-f:.%]{0,40}\]|\d{8,10}|0x[0-9a-f]{1,8}(?:\.(?:0x[0-9a-f]{1,2}|\d{1,3})){0,3}|0[0-7]{1,12}(?:\.[0-7]{1,4}){0,3})`;
const INTERNAL_WITH_SCHEME = new RegExp(`(?:^|[\\s"'=(<,/])${SCHEME}(?:${INTERNAL_NAME}|${INTERNAL_IP})(?::\\d{1,5})?(?:[/?#\\\\]|$)`);
const INTERNAL_SCHEMELESS = new RegExp(`^[\\s]*(?:${INTERNAL_NAME})(?::\\d{1,5})?\\/`);
const DANGEROUS_SCHEME = /(?:^|[\s"'=(<,])(?:gopher|dict|tftp|jar|netdoc|ldap|ldaps|rmi|ssh2\.[a-z]+|expect|sftp):\/\//;
const DATA_URI = /(?:^|[\s"'=(<,])data:(?!image\/(?:png|jpe?g|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon)[;,])[a-z-]{1,20}\/[a-z0-9.+-]{1,60}/;

const T = K_INPUT;

export const SSRF_RULES: Rule[] = [
  {
    id: "ssrf.cloud-metadata",
    family: "ssrf",
    level: "basic",
    description: "URLs to cloud metadata services (169.254.169.254, metadata.google.internal/…, /latest/meta-data), also embedded in the path",
    targets: T | K.PATH,
    needs: C.SLASH | C.COLON,
    test: (s) => reHit(CLOUD_METADATA, s.lower),
  },
  {
    id: "ssrf.internal-host",
    family: "ssrf",
    level: "standard",
    description:
      "URLs to loopback, private or container-internal hosts, incl. decimal/hex/octal IPs and scheme-less localhost/…, also embedded in the path; in a parameter value only as its first token (a localhost URL in documentation prose does not count)",
    targets: T | K.PATH,
    needs: C.SLASH | C.COLON,
    // a localhost URL inside prose or documentation ("open http://localhost:3000 after npm run dev") is not a fetch target
    test: (s) => {
      const hit = reHit(INTERNAL_WITH_SCHEME, s.lower) ?? reHit(INTERNAL_SCHEMELESS, s.lower);
      return hit && (s.target.kind !== K.ARG_VALUE || isFirstToken(s.lower, hit[0] + 1)) ? hit : null;
    },
  },
  {
    id: "ssrf.dangerous-scheme",
    family: "ssrf",
    level: "standard",
    description: "gopher://, dict://, tftp://, jar:, ldap:// and similar protocol-smuggling schemes",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(DANGEROUS_SCHEME, s.lower),
  },
  {
    id: "ssrf.data-uri",
    family: "ssrf",
    level: "standard",
    description: "data: URIs other than images, which URL fetchers and includes read as content",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(DATA_URI, s.lower),
  },
];
