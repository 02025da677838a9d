// Automated scanners: their User-Agent tokens, the headers some of them add,
// and the well-known probe paths they request.
import { K, reHit, type Rule } from "../subject.js";

const SCANNER_AGENT =
  /\b(?:sqlmap|nikto|nmap|masscan|zgrab|nuclei|acunetix|netsparker|invicti|nessus|openvas|w3af|arachni|skipfish|wpscan|dirbuster|gobuster|feroxbuster|ffuf|fuzz faster u fool|wfuzz|hydra|havij|jaeles|whatweb|commix|xsstrike|dalfox|joomscan|droopescan|cmsmap|fimap|grabber|bsqlbf|pangolin|sqlninja|morfeus|zmeu|jorgee|appscan|webinspect|qualys|paros|webshag|vega\/|owasp[\s_-]?zap|zaproxy|burp(?:suite|collaborator)|interactsh|httpx\b|naabu|katana\/|wapiti|netlab360|censysinspect|l9scan|l9explore|leakix|expanse|internet-measurement|wprecon|cgichk|sitelockspider)/;
const PROBE_PATH =
  /\/(?:phpmyadmin|pma|myadmin|phpmyadmin\d[\w.-]*|mysqladmin|sqlmanager|adminer(?:\.php)?)(?:\/|$)|\/wp-admin\/(?:setup-config|install)\.php|\/vendor\/phpunit\/.*eval-stdin\.php|\/cgi-bin\/(?:test-cgi|php\d?|bash|luci)\b|\/(?:hnap1|boaform|setup\.cgi)\b|\/actuator\/(?:env|heapdump|gateway|jolokia|loggers|mappings)\b|\/server-status\b|\/_ignition\/execute-solution|\/solr\/admin\/|\/owa\/auth\/x\.js|\/autodiscover\/autodiscover\.json|\/manager\/html\b|\/jmx-console\b|\/invoker\/jmxinvokerservlet|\/wls-wsat\/|\/_async\/asyncresponseservice|\/telescope\/requests|\/debug\/default\/view|\/(?:shell|cmd|c99|r57|wso|b374k|alfa)\.php\b|\/config\.(?:bak|old|orig|save)\b|\/(?:backup|db|database|dump|site|www)\.(?:sql|zip|tar\.gz|tgz|rar)\b/;
const SCANNER_HEADERS = new Set([
  "acunetix-product",
  "acunetix-scanning-agreement",
  "acunetix-user-agreement",
  "x-scanner",
  "x-wipp",
  "x-scan-memo",
  "x-request-memo",
  "x-ai-scanner",
  "bugbounty-scanner",
]);

export function isScannerHeader(name: string): boolean {
  return SCANNER_HEADERS.has(name.toLowerCase());
}

export const SCANNER_RULES: Rule[] = [
  {
    id: "scanner.user-agent",
    family: "scanner",
    level: "basic",
    description: "User-Agent of a known vulnerability scanner or attack tool",
    targets: K.HEADER_UA,
    needs: 0,
    test: (s) => reHit(SCANNER_AGENT, s.lower),
  },
  {
    id: "scanner.probe-path",
    family: "scanner",
    level: "standard",
    description: "Well-known probe paths (phpMyAdmin, phpunit eval-stdin, actuator, server-status, web shells, backup archives)",
    targets: K.PATH,
    needs: 0,
    test: (s) => reHit(PROBE_PATH, s.lower),
  },
];

export const SCANNER_HEADER_CHECK = {
  id: "scanner.header",
  level: "standard" as const,
  description: "Headers that only scanners send (Acunetix-Product, X-Scanner, X-WIPP…)",
};
