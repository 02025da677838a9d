// Command injection: shell syntax (substitution, process substitution,
// brace/tilde/glob expansion, here-strings) and a command following a shell
// separator, matched on a shell-normalised form where quote, backslash and
// $IFS evasions are undone.
import { C, K, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";
import { isMarkdownDocument } from "./context.js";

/**
 * Commands an injected payload runs. STRONG ones never appear in prose and
 * count after any separator; WORDY ones (set, who, cat, python…) double as
 * English or everyday tech words and count only after a strong separator
 * (value start, &&, ||, `, $( ) or when followed by shell-shaped arguments.
 * Interactive tools (vi, top, less) are left out: they are useless blind.
 */
const STRONG = new Set([
  "sh",
  "bash",
  "zsh",
  "ksh",
  "csh",
  "tcsh",
  "dash",
  "busybox",
  "mksh",
  "yash",
  "posh",
  "xxd",
  "hexdump",
  "base64",
  "base32",
  "whoami",
  "uname",
  "ifconfig",
  "ipconfig",
  "netstat",
  "nslookup",
  "traceroute",
  "tracert",
  "lastlog",
  "pstree",
  "htop",
  "pgrep",
  "pkill",
  "killall",
  "printenv",
  "lwp-download",
  "lwp-request",
  "tftp",
  "sftp",
  "scp",
  "rsync",
  "nc",
  "ncat",
  "netcat",
  "socat",
  "openssl",
  "irb",
  "jjs",
  "jrunscript",
  "c89",
  "c99",
  "g++",
  "gdb",
  "strace",
  "ltrace",
  "chattr",
  "chgrp",
  "rmdir",
  "shred",
  "gunzip",
  "bunzip2",
  "bzip2",
  "unxz",
  "xz",
  "7z",
  "zcat",
  "crontab",
  "nohup",
  "doas",
  "runuser",
  "gawk",
  "nawk",
  "egrep",
  "fgrep",
  "xargs",
  "sendmail",
  "mailx",
  "apt-get",
  "aptitude",
  "yum",
  "dnf",
  "rpm",
  "dpkg",
  "pip3",
  "chpasswd",
  "visudo",
  "umount",
  "fdisk",
  "mkfs",
  "systemctl",
  "rmt",
  "cmd.exe",
  "powershell",
  "powershell.exe",
  "pwsh",
  "wmic",
  "netsh",
  "certutil",
  "bitsadmin",
  "cscript",
  "wscript",
  "mshta",
  "rundll32",
  "regsvr32",
  "tasklist",
  "taskkill",
  "systeminfo",
  "mkfifo",
  "getent",
  "schtasks",
  "vssadmin",
  "bcdedit",
  "wevtutil",
  "cmdkey",
  "nltest",
  "dsquery",
  "msiexec",
  "installutil",
  "regasm",
  "msbuild",
  "forfiles",
  "kubectl",
  "terraform",
  "ansible",
  "ansible-playbook",
  "gcloud",
  "etcdctl",
  "helm",
  "lsof",
  "nmap",
  "useradd",
  "userdel",
  "usermod",
  "ping6",
  "python3",
  "python2",
  "perl5",
  "nodejs",
  "php7",
  "php8",
  "ruby1.9",
  "chmod",
  "chown",
  "wget",
  "curl",
]);
const WORDY = new Set([
  // POSIX shell builtins that read input, set traps or limits (;read; stalls the process, trap runs code on a signal)
  "read",
  "trap",
  "ulimit",
  "umask",
  "readonly",
  "typeset",
  "getopts",
  "cat",
  "tac",
  "head",
  "tail",
  "nl",
  "od",
  "strings",
  "ls",
  "dir",
  "find",
  "locate",
  "which",
  "whereis",
  "stat",
  "id",
  "who",
  "w",
  "users",
  "groups",
  "last",
  "finger",
  "hostname",
  "ip",
  "ss",
  "arp",
  "route",
  "dig",
  "host",
  "ping",
  "ps",
  "kill",
  "env",
  "set",
  "export",
  "unset",
  "echo",
  "printf",
  "fetch",
  "ftp",
  "ssh",
  "telnet",
  "python",
  "perl",
  "ruby",
  "php",
  "node",
  "lua",
  "gcc",
  "cc",
  "clang",
  "make",
  "mkdir",
  "rm",
  "mv",
  "cp",
  "ln",
  "touch",
  "dd",
  "tee",
  "tar",
  "zip",
  "unzip",
  "gzip",
  "timeout",
  "time",
  "nice",
  "sudo",
  "su",
  "awk",
  "sed",
  "grep",
  "sort",
  "uniq",
  "cut",
  "tr",
  "wc",
  "diff",
  "mail",
  "apt",
  "pip",
  "npm",
  "gem",
  "passwd",
  "mount",
  "service",
  "shutdown",
  "reboot",
  "halt",
  "init",
  "sleep",
  "cmd",
  "net",
  "reg",
  "ver",
  "type",
  "file",
  "more",
  "exec",
  "eval",
  "source",
  "chroot",
  "xterm",
  "jq",
  "ash",
  "command",
  "builtin",
  "docker",
  "podman",
  "aws",
  "az",
  "git",
  "vault",
  "consul",
  "nomad",
  "stdbuf",
  "unbuffer",
  "setsid",
  "alias",
  "unalias",
]);
const COMMANDS = new Set([...STRONG, ...WORDY]);
const DEVOPS = new Set(["docker", "podman", "aws", "az", "git", "vault", "consul", "nomad", "kubectl", "helm", "terraform", "gcloud"]);
const DEVOPS_SUBCOMMANDS = new Set([
  "run",
  "exec",
  "cp",
  "get",
  "read",
  "write",
  "clone",
  "pull",
  "push",
  "sts",
  "s3",
  "ec2",
  "iam",
  "secretsmanager",
  "account",
  "login",
  "kv",
  "apply",
  "destroy",
  "install",
  "secrets",
  "token",
  "auth",
  "config",
  "job",
  "vm",
  "keyvault",
  "storage",
]);
/** Words that run the command after them (nohup id, command sh, stdbuf -o0 wget). */
const PREFIXES = new Set([
  "nohup",
  "time",
  "strace",
  "ltrace",
  "env",
  "timeout",
  "nice",
  "sudo",
  "doas",
  "xargs",
  "stdbuf",
  "unbuffer",
  "setsid",
  "command",
  "builtin",
  "exec",
  "busybox",
]);
/** Commands whose typical injected argument is a number (time-based blind injection). */
const NUMERIC_ARG = new Set(["sleep", "kill", "timeout", "ping", "nice"]);

/** Shell-normalised text: quotes, backslashes, $IFS and empty/positional variables removed. */
export function shellForm(s: Subject): string {
  return s.derive("shell", (x) => {
    let t = x.lower;
    if (!x.has(C.SQUOTE | C.DQUOTE | C.BSLASH | C.DOLLAR)) return t;
    t = t.replace(/\$\{ifs\}|\$ifs\b/g, " ");
    t = t.replace(/\$(?:@|\*|[1-9]|\{[0-9@*]\})|\$\(\)|``/g, "");
    t = t.replace(/(['"])\1/g, "");
    t = t.replace(/['"]/g, "");
    t = t.replace(/\\(?=[a-z0-9/])/g, "");
    // a variable glued to a word is an evasion (sh$XX → sh)
    t = t.replace(/([a-z])\$[a-z_][a-z0-9_]{0,20}/g, "$1");
    // …also in braces (c${u}at → cat)
    if (t.indexOf("${") >= 0) t = t.replace(/([a-z])\$\{[a-z_][a-z0-9_]{0,20}\}/g, "$1");
    return t;
  });
}

const SEPARATORS = new Set([59 /* ; */, 124 /* | */, 38 /* & */, 10 /* \n */, 13, 96 /* ` */]);

function isCmdChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 43;
}

/** A Python traceback line ('  File "/usr/lib/x.py", line 12, in f' — quotes already dropped) is not the file command. */
function isTracebackFrame(t: string, word: string, argAt: number): boolean {
  return word === "file" && /^[^\s,]{1,200}, line \d/.test(t.slice(argAt, argAt + 220));
}

/** Only separators and blanks from `at` to the end of the value. */
function endsInSeparators(t: string, at: number): boolean {
  for (let i = at; i < t.length; i++) {
    const b = t.charCodeAt(i);
    if (b !== 32 && b !== 9 && b !== 59 && b !== 124 && b !== 38) return false;
  }
  return true;
}

/** Finds `<separator> <command>` with the command in COMMANDS (WORDY ones need more context). One linear pass. */
export function findInjectedCommand(t: string): Hit | null {
  const n = t.length;
  // index of the first character that is neither blank nor a separator: separators before it are at the value start
  let firstContent = 0;
  while (firstContent < n) {
    const b = t.charCodeAt(firstContent);
    if (b === 32 || b === 9 || SEPARATORS.has(b)) firstContent++;
    else break;
  }
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    let isSep = SEPARATORS.has(c);
    let sepEnd = i + 1;
    if (!isSep && c === 36 /* $ */ && t.charCodeAt(i + 1) === 40 /* ( */) {
      isSep = true;
      sepEnd = i + 2;
    }
    if (!isSep) {
      i++;
      continue;
    }
    const atStart = i < firstContent;
    // the whole run of separators/blanks/openers in front of the command is handled once
    let strongSep = c === 36;
    let j = sepEnd;
    while (j < n) {
      const b = t.charCodeAt(j);
      if (b === 32 || b === 9 || b === 40 || b === 123 || b === 33 || b === 92 || SEPARATORS.has(b) || (b === 36 && t.charCodeAt(j + 1) === 40)) {
        if ((b === 38 || b === 124) && t.charCodeAt(j - 1) === b) strongSep = true;
        if (b === 36) strongSep = true;
        j++;
      } else break;
    }
    // optional absolute path prefix: /usr/bin/id
    let k = j;
    let lastSlash = -1;
    while (k < n && (isCmdChar(t.charCodeAt(k)) || t.charCodeAt(k) === 47)) {
      if (t.charCodeAt(k) === 47) lastSlash = k;
      k++;
    }
    const next = Math.max(j, i + 1);
    const wordStart = lastSlash >= 0 ? lastSlash + 1 : j;
    const word = k - wordStart <= 24 ? t.slice(wordStart, k) : "";
    const after = k < n ? t.charCodeAt(k) : -1;
    // the command word must end where the shell would end it
    const wordEnds =
      after === -1 ||
      after === 32 ||
      after === 9 ||
      after === 10 ||
      after === 13 ||
      after === 59 ||
      after === 124 ||
      after === 38 ||
      after === 60 ||
      after === 62 ||
      after === 41 ||
      after === 96 ||
      after === 125;
    if (word.length > 0 && COMMANDS.has(word) && wordEnds) {
      let accept = true;
      if (WORDY.has(word) && lastSlash < 0) {
        // "; set the table" is prose; ";set", "; ls -la", "| cat /etc/x", "&& id" are not
        let m = k;
        while (m < n && (t.charCodeAt(m) === 32 || t.charCodeAt(m) === 9)) m++;
        const arg = m < n ? t.charCodeAt(m) : -1;
        const argLooksShell =
          arg === -1 ||
          arg === 45 /* - */ ||
          arg === 47 /* / */ ||
          arg === 126 /* ~ */ ||
          arg === 36 /* $ */ ||
          arg === 46 /* . */ ||
          arg === 60 ||
          arg === 62 ||
          arg === 124 ||
          arg === 96 ||
          arg === 41 ||
          (NUMERIC_ARG.has(word) && arg >= 48 && arg <= 57) ||
          // closed by ; | & that end the value (a;env;, x|set&): a whole statement injected, not a clause of prose
          ((arg === 59 || arg === 124 || arg === 38) && endsInSeparators(t, m));
        // DevOps CLIs and command prefixes read as commands when a subcommand or another command follows them
        const restWord = /^[a-z][a-z0-9_-]{0,20}/.exec(t.slice(m, m + 24))?.[0] ?? "";
        const devopsUse = (DEVOPS_SUBCOMMANDS.has(restWord) && DEVOPS.has(word)) || (PREFIXES.has(word) && COMMANDS.has(restWord));
        accept = (atStart || strongSep || argLooksShell || devopsUse) && !isTracebackFrame(t, word, m);
      }
      if (accept) return [i, k];
    }
    i = next;
  }
  return null;
}

const SHELL_INVOCATION =
  /\b(?:powershell|pwsh)(?:\.exe)?\b[^\n|;&]{0,80}?[\s]-(?:e|ec|en|enc|enco|encod|encodedcommand)[\s]+[a-z0-9+/=]{8}|\$0[\s]+-[a-z]*c\b|\b(?:ba|da|z|k|mk|c|tc|a|fi|ya|po)?sh[\s,]+-[a-z]*c\b|\$\{?shell\}?[\s,]+-[a-z]*c\b|\bcmd(?:\.exe)?[\s]+\/[ck]\b|\bpowershell(?:\.exe)?[\s]+-(?:e|ec|enc|encodedcommand|c|command|nop|noprofile|w|windowstyle|exec|executionpolicy)\b|\/bin\/(?:ba|da|z|k|tc)?sh\b/;
// <(…) and >(…) are process substitutions only after a blank or operator: "<init>(File.java:1)" is a Java stack frame
const SUBSTITUTION =
  /\$\((?![\s]*(?:document|window|this|function|['"]|#|\.))[\s(]*[a-z_$/.\\`]|\$\[[^\]\n]{0,100}\]|\$\{[\s]*[#!]?[a-z_][a-z0-9_]{0,40}[\s]*(?:[#%:/^,@*]|\[)[^}\n]{0,100}\}|\$\{[\s]*[^a-z_\s}]|^[\s]*\$\{[\s]*[a-z_][a-z0-9_]{0,40}[\s]*\}[\s]*$|(?<![a-z0-9_])[<>]\([\s]*[a-z/]/;
const IFS = /\$\{?ifs\}?|\$ifs\$\d/;
const REVERSE_SHELL =
  /\/dev\/(?:tcp|udp)\/|\bn(?:c|cat|etcat)\b[^\n|;&]{0,40}?[\s]-[a-z]*[ec]\b|\bmkfifo\b|\bbash[\s]+-i[\s]*>&|\b0<&[\d]+|\bsocat\b[^\n]{0,80}?\bexec:|\bpython[23]?[\s]+-c[\s]*['"]?[\s]*import[\s]+(?:socket|os|pty|subprocess)|\bperl[\s]+-e[\s]*['"]?[\s]*use[\s]+socket/;
const REVERSE_SHELL_HINT = /\/dev\/|nc|mkfifo|bash|<&|socat|python|perl/;
const SHELLSHOCK = /^[\s]*\([\s]*\)[\s]*\{|\([\s]*\)[\s]*\{[\s]*[:_a-z]{1,10}[\s]*;[\s]*\}[\s]*;/;
const UNIX_BINARY_PATH = /(?:^|[^\w/.-])\/(?:usr\/(?:local\/)?)?s?bin\/[a-z][\w.+-]{0,40}|^[\s]*s?bin\/[a-z][\w.+-]{0,40}/;
/** The same path right after a written-out newline escape (\n/bin/ls -al\n), which the shell form reads as a plain "n". */
const ESCAPED_NEWLINE_BINARY = /\\[nr]\/(?:usr\/(?:local\/)?)?s?bin\/[a-z][\w.+-]{0,40}/;
// an IPv6 literal in a URL (http://[::1]/) is brackets around hex and colons, not a glob
const GLOB_PATH = /\/[\w.-]{0,30}\[(?![0-9a-f.]{0,39}:[0-9a-f.:%]{0,39}\])[^\]\s]{1,30}\]|\/[\w.]{0,30}[?*][\w.?*]{0,30}\/[\w.]{0,30}[?*]/;
const TILDE = /(?:^|[\s;|&=(])~[+-][\d]*(?=$|[\s/;|&)])/;
const HERE_STRING_REDIRECT = /<<<|>{1,2}[\s]*\/(?:tmp|dev\/(?!null\b)|var|etc|root|home|proc)\/[\w.-]+/;
const WINDOWS_ENV =
  /%(?:comspec|systemroot|windir|programfiles|temp|appdata|localappdata|userprofile|public|programdata)(?::~-?\d{1,3}(?:,-?\d{1,3})?)?%|%[a-z_]{1,30}:~-?\d{1,3}(?:,-?\d{1,3})?%|\bcmd(?:\.exe)?[\s]+\/v:on\b/;
/** Shell alias definitions at command position: alias ls='rm -rf ~', unalias -a. */
const ALIAS_DEFINITION = /(?:^|[;&|\n`(])[\s]{0,16}(?:alias[\s]{1,8}[a-z0-9_.-]{1,30}[\s]{0,4}=|unalias[\s]{1,8}-a\b)/;
/** cmd's loop: for /f|/l|/r|/d … in (…) do <command>. */
const FOR_START = /\bfor[\s]{1,8}\/[flrd]\b/g;
const FOR_IN = /[\s]in[\s]{0,8}\(/g;
const FOR_DO = /^[\s]{0,8}do\b/;

/** One pass: the next " in (" and its ")" are found once and reused by every "for /x" before them, so decoys cost nothing. */
export function findWindowsFor(t: string): Hit | null {
  FOR_START.lastIndex = 0;
  let inPos = -2;
  let close = -2;
  let m: RegExpExecArray | null;
  while ((m = FOR_START.exec(t)) !== null) {
    const end = m.index + m[0].length;
    if (inPos < end) {
      FOR_IN.lastIndex = end;
      const found = FOR_IN.exec(t);
      if (found === null) return null;
      inPos = found.index;
      close = t.indexOf(")", inPos);
      if (close < 0) return null;
    }
    if (inPos - end > 160 || close - inPos > 220) continue;
    if (FOR_DO.test(t.slice(close + 1, close + 16))) return [m.index, close + 1];
  }
  return null;
}
/** Bash ANSI-C quoting used to spell a command in escapes ($'\x69\x64', $'\151\144'). */
const ANSI_C_ESCAPES = /\$'(?:\\(?:x[0-9a-f]{1,2}|[0-7]{1,3}|u[0-9a-f]{4})){2}/;
/** A command word made only of variables, at command position: $a$b, ${x}${y}, ;$cmd. */
const VARIABLE_COMMAND =
  /(?:^|[;|&\n`(])[\s]{0,16}(?:\$\{?[a-z_][a-z0-9_]{0,30}\}?){2,8}(?=$|[\s;|&)`])|[;|&\n`][\s]{0,16}\$\{?[a-z_][a-z0-9_]{0,30}\}?[\s]{0,16}(?=$|[;|&`])/;

/**
 * PowerShell at command position (value start or after ; | & newline ( { ):
 * a Verb-Noun cmdlet that downloads, executes, reaches WMI or disables
 * defences, or one of their aliases followed by an argument or a pipe.
 */
const PS_CMDLETS = new Set([
  "invoke-webrequest",
  "invoke-restmethod",
  "invoke-expression",
  "invoke-command",
  "invoke-wmimethod",
  "invoke-item",
  "invoke-cimmethod",
  "get-wmiobject",
  "get-ciminstance",
  "start-process",
  "start-job",
  "start-bitstransfer",
  "set-mppreference",
  "add-mppreference",
  "set-executionpolicy",
  "new-object",
  "new-service",
  "new-scheduledtask",
  "register-scheduledtask",
  "get-content",
  "set-content",
  "add-content",
  "out-file",
  "remove-item",
  "copy-item",
  "get-childitem",
  "get-process",
  "stop-process",
  "get-service",
  "stop-service",
  "get-localuser",
  "new-localuser",
  "add-localgroupmember",
  "get-itemproperty",
  "set-itemproperty",
  "new-itemproperty",
  "get-acl",
  "set-acl",
  "export-clixml",
  "import-module",
  "set-alias",
  "new-alias",
  "get-credential",
  "convertto-securestring",
  "invoke-mimikatz",
  "invoke-shellcode",
  "get-hotfix",
  "test-netconnection",
  "resolve-dnsname",
]);
const PS_ALIASES = new Set(["iwr", "irm", "iex", "icm", "iwmi", "gwmi", "gcim", "saps", "sal", "nal", "ipmo", "gc", "sc", "ri", "gci", "spps", "curl", "wget"]);
const PS_START = /(?:^|[;|&\n({])[\s]{0,16}(?:\.[\s]{1,4})?([a-z]{2,12}-[a-z]{2,30}|[a-z]{2,5})(?=[\s(]|$)/g;

export function findPowerShell(t: string): Hit | null {
  PS_START.lastIndex = 0;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = PS_START.exec(t)) !== null && guard++ < 4096) {
    const word = m[1]!;
    const end = m.index + m[0].length;
    if (PS_CMDLETS.has(word)) {
      // a cmdlet with a parameter, an argument or a pipe after it: "Get-Content is slow" stays prose
      if (/^[\s]*(?:-[a-z]|\(|\$|['"]|[a-z]:\\|https?:|\||$|[a-z0-9_.]{2,60}(?:[\s]*(?:$|[|;)])|[\s]+-[a-z]))/.test(t.slice(end, end + 80)))
        return [m.index, end];
    } else if (PS_ALIASES.has(word)) {
      const rest = t.slice(end, end + 80);
      if (word === "iex" && /^[\s]*(?:$|\(|\$|['"]|[;|])/.test(rest)) return [m.index, end];
      if (
        (word === "iwr" || word === "irm" || word === "curl" || word === "wget") &&
        /^[\s]+(?:-uri[\s]+)?['"]?https?:\/\/[^\s|]{1,200}[\s]*(?:\|[\s]*iex|-outfile|-o[\s])/.test(rest)
      )
        return [m.index, end];
      if ((word === "iwr" || word === "irm") && /^[\s]+(?:-uri[\s]+)?['"]?https?:/.test(rest)) return [m.index, end];
      if ((word === "iwmi" || word === "gwmi" || word === "gcim") && /^[\s]+(?:-class[\s]+)?['"]?win32_/.test(rest)) return [m.index, end];
      if (word === "icm" && /^[\s]+-(?:scriptblock|computername|filepath)\b/.test(rest)) return [m.index, end];
      if ((word === "sal" || word === "nal") && /^[\s]+[a-z0-9_-]{1,20}[\s]+(?:iex|invoke-expression|iwr|start-process)\b/.test(rest)) return [m.index, end];
    }
  }
  // the classic download cradle, wherever it sits: (New-Object Net.WebClient).DownloadString(…) | IEX
  const cradle = /\bnew-object[\s]+(?:system\.)?net\.webclient\b|\.download(?:string|file|data)[\s]*\(|\|[\s]*(?:iex|invoke-expression)\b/.exec(t);
  return cradle ? [cradle.index, cradle.index + cradle[0].length] : null;
}
const RESTRICTED_UPLOAD =
  /^(?:\.htaccess|\.htpasswd|\.user\.ini|php\.ini|web\.config|wp-config(?:[._-]\w+){0,2}|settings\.php|config\.(?:yml|yaml|php|inc|json|ini)|\.env(?:\.\w+)?|\.boto|\.bashrc|\.bash_profile|\.profile|\.zshrc|authorized_keys|id_(?:rsa|dsa|ecdsa|ed25519)|\.npmrc|\.pypirc|\.netrc|\.pgpass|\.my\.cnf|\.gitconfig|\.git-credentials|\.dockercfg|mtrr|acpi|crontab|passwd|shadow|sudoers|\.ssh|\.git)$/;

/** Finds a brace expansion ({a,b}c, {,ifconfig}, {l,-lh}s) the shell would expand into a command. */
export function findBraceExpansion(t: string): Hit | null {
  let i = t.indexOf("{");
  while (i >= 0) {
    const close = t.indexOf("}", i + 1);
    if (close < 0) return null;
    if (close - i <= 100) {
      const body = t.slice(i + 1, close);
      // items may be URLs and options: {wget,http://x/a,-O,/tmp/a}
      if (body.indexOf(",") >= 0 && /^[a-z0-9_.,/:=@-]+$/.test(body) && /[a-z]/.test(body)) {
        const items = body.split(",");
        const before = t.charCodeAt(i - 1);
        const after = t.charCodeAt(close + 1);
        const attached = (before >= 97 && before <= 122) || (after >= 97 && after <= 122);
        // {cat,/etc/passwd}: the first item is the command, the rest its arguments
        if (attached || items.some((x) => x === "" || x.startsWith("-")) || COMMANDS.has(items[0]!)) return [i, close + 1];
      }
    }
    i = t.indexOf("{", i + 1);
  }
  return null;
}

function filenameForm(s: Subject): string {
  return s.derive("filename", (x) => {
    const t = x.lower.trim().replace(/[\s]*\.[\s]*/g, ".");
    const slash = Math.max(t.lastIndexOf("/"), t.lastIndexOf("\\"));
    return slash >= 0 ? t.slice(slash + 1) : t;
  });
}
export { filenameForm };

/**
 * Windows living-off-the-land binaries with the arguments that make them
 * download, decode or execute: the argument shape is what is structural,
 * the binary name alone ("certutil") appears in documentation.
 */
const WINDOWS_LOLBIN =
  /\b(?:certutil(?:\.exe)?[\s]+(?:[^\n]{0,40}[\s])?[-/](?:urlcache|decode|decodehex|encode|split|verifyctl)\b|bitsadmin(?:\.exe)?[\s]+\/(?:transfer|addfile|create|setnotifycmdline)\b|regsvr32(?:\.exe)?[\s]+[^\n]{0,40}\/i:|mshta(?:\.exe)?[\s]+['"]?(?:https?:|javascript:|vbscript:|\\\\)|rundll32(?:\.exe)?[\s]+['"]?(?:javascript:|[a-z0-9_.\\/:-]{1,80}\.dll[\s]*,)|wmic(?:\.exe)?[\s]+(?:[^\n]{0,40}[\s])?(?:process[\s]+call[\s]+create|\/node:|shadowcopy[\s]+delete)|[cw]script(?:\.exe)?[\s]+\/\/(?:nologo|e:|b\b))/;

const T = K_INPUT | K.PATH;
const SHELL_GATE = C.SEMI | C.PIPE | C.AMP | C.NEWLINE | C.BACKTICK | C.DOLLAR;

export const RCE_RULES: Rule[] = [
  {
    id: "rce.shellshock",
    family: "rce",
    level: "basic",
    description: "Shellshock function definitions: () { :; };",
    targets: T | K.HEADER_STRUCTURAL,
    needs: C.LPAREN,
    test: (s) => reHit(SHELLSHOCK, s.lower),
  },
  {
    id: "rce.shell-invocation",
    family: "rce",
    level: "basic",
    description: "Explicit shell invocation: sh -c, bash -c, mksh/yash -c, /bin/sh, cmd /c, powershell -enc (inside a markdown document only its prose counts)",
    targets: T,
    needs: C.SPACE | C.COMMA | C.SLASH | C.DOLLAR,
    // inside a markdown document `sh -c` is quoted code; the document's prose is still read by this rule
    test: (s) =>
      (s.lower.indexOf("sh") >= 0 || s.lower.indexOf("cmd") >= 0 || s.lower.indexOf("$0") >= 0) && !isMarkdownDocument(s)
        ? reHit(SHELL_INVOCATION, shellForm(s))
        : null,
  },
  {
    id: "rce.windows-lolbin",
    family: "rce",
    level: "standard",
    description:
      "Windows living-off-the-land binaries with download/decode/execute arguments (certutil -urlcache/-decode, bitsadmin /transfer, regsvr32 /i:, mshta http:, rundll32 x.dll,, wmic process call create, cscript //)",
    targets: K_INPUT,
    needs: C.SPACE,
    test: (s) => reHit(WINDOWS_LOLBIN, s.lower),
  },
  {
    id: "rce.ifs-evasion",
    family: "rce",
    level: "basic",
    description: "$IFS used as a space to evade filters",
    targets: T,
    needs: C.DOLLAR,
    test: (s) => reHit(IFS, s.lower),
  },
  {
    id: "rce.reverse-shell",
    family: "rce",
    level: "basic",
    description: "Reverse shell building blocks: /dev/tcp/, nc -e, mkfifo, bash -i >&, socat exec:",
    targets: T,
    needs: C.SPACE | C.SLASH | C.LT,
    test: (s) => (REVERSE_SHELL_HINT.test(s.lower) ? reHit(REVERSE_SHELL, shellForm(s)) : null),
  },
  {
    id: "rce.command-injection",
    family: "rce",
    level: "standard",
    description: "A shell separator (; | & && || ` $( newline) followed by a known command",
    targets: K_INPUT | K.PATH,
    needs: SHELL_GATE,
    test: (s) => {
      const t = shellForm(s);
      return findInjectedCommand(t);
    },
  },
  {
    id: "rce.leading-backslash",
    family: "rce",
    level: "standard",
    description: "A command prefixed with a backslash to bypass aliases (\\ls)",
    targets: K_INPUT,
    needs: C.BSLASH,
    test: (s) => {
      const m = /^[\s'"]*\\([a-z][a-z0-9_-]{0,20})(?=$|[\s;|&])/.exec(s.lower);
      return m && COMMANDS.has(m[1]!) ? [0, m[0].length] : null;
    },
  },
  {
    id: "rce.substitution",
    family: "rce",
    level: "standard",
    description: "Shell substitutions and expansions: $(…), ${x#…}/${x:-…}, a bare ${x}, $[…], <(…), >(…) (a ${name} placeholder inside text does not count)",
    targets: T,
    needs: C.DOLLAR | C.LT | C.GT,
    test: (s) => reHit(SUBSTITUTION, s.lower),
  },
  {
    id: "rce.unix-binary-path",
    family: "rce",
    level: "standard",
    description: "Absolute paths to binaries (/bin/…, /usr/bin/…, /sbin/…), also after a written-out \\n escape",
    targets: K_INPUT,
    needs: C.SLASH,
    test: (s) => reHit(UNIX_BINARY_PATH, shellForm(s)) ?? (s.lower.indexOf("\\") >= 0 ? reHit(ESCAPED_NEWLINE_BINARY, s.lower) : null),
  },
  {
    id: "rce.glob-evasion",
    family: "rce",
    level: "standard",
    description: "Wildcards inside absolute paths to evade filters (/etc/pa[s]swd, /???/??t)",
    targets: K_INPUT,
    needs: C.LBRACK | C.QMARK | C.STAR,
    test: (s) => reHit(GLOB_PATH, s.lower),
  },
  {
    id: "rce.brace-expansion",
    family: "rce",
    level: "standard",
    description: "Brace expansion that assembles a command ({,ifconfig}, c{a,oun}t)",
    targets: K_INPUT,
    needs: C.LBRACE,
    test: (s) => findBraceExpansion(s.lower),
  },
  {
    id: "rce.tilde-expansion",
    family: "rce",
    level: "standard",
    description: "Bash directory-stack tilde expansion (~+, ~-, ~-1)",
    targets: K_INPUT,
    needs: C.TILDE,
    test: (s) => reHit(TILDE, s.lower),
  },
  {
    id: "rce.redirection",
    family: "rce",
    level: "standard",
    description: "Here-strings (<<<) and output redirection into system directories (>/tmp/x)",
    targets: K_INPUT,
    needs: C.LT | C.GT,
    test: (s) => reHit(HERE_STRING_REDIRECT, shellForm(s)),
  },
  {
    id: "rce.windows-env",
    family: "rce",
    level: "standard",
    description: "Windows environment variable expansion (%COMSPEC%, %SYSTEMROOT%)",
    targets: K_INPUT,
    needs: 0,
    test: (s) => (s.lower.indexOf("%") >= 0 ? reHit(WINDOWS_ENV, s.lower) : null),
  },
  {
    id: "rce.alias-definition",
    family: "rce",
    level: "standard",
    description: "Shell alias definitions at command position (; alias ls='rm -rf ~', && unalias -a)",
    targets: K_INPUT,
    needs: C.EQ | C.DASH,
    test: (s) => (s.lower.indexOf("alias") >= 0 ? reHit(ALIAS_DEFINITION, shellForm(s)) : null),
  },
  {
    id: "rce.windows-for-loop",
    family: "rce",
    level: "standard",
    description: "cmd.exe loops that run a command: for /f|/l|/r|/d … in (…) do …",
    targets: K_INPUT,
    needs: C.SLASH,
    test: (s) => (s.lower.indexOf("for") >= 0 ? findWindowsFor(s.lower) : null),
  },
  {
    id: "rce.powershell",
    family: "rce",
    level: "standard",
    description:
      "PowerShell at command position: download/execute/WMI/defence cmdlets with arguments (Invoke-WebRequest -Uri, Get-WmiObject Win32_…), their aliases in use (iwr URL, … | iex, iwmi -class, icm -ScriptBlock), the WebClient download cradle",
    targets: K_INPUT,
    needs: 0,
    test: (s) => findPowerShell(shellForm(s)),
  },
  {
    id: "rce.ansi-c-quoting",
    family: "rce",
    level: "standard",
    description: "Bash ANSI-C quoted escapes that spell a command ($'\\x69\\x64', $'\\151\\144')",
    targets: K_INPUT,
    needs: C.DOLLAR,
    test: (s) => reHit(ANSI_C_ESCAPES, s.lower),
  },
  {
    id: "rce.variable-command",
    family: "rce",
    level: "standard",
    description: "A command word built only from variables at command position (a=i;b=d;$a$b, ;$cmd)",
    targets: K_INPUT,
    needs: C.DOLLAR,
    test: (s) => reHit(VARIABLE_COMMAND, s.lower),
  },
  {
    id: "rce.restricted-upload",
    family: "rce",
    level: "standard",
    description: "Uploaded file names that overwrite server or shell configuration (.htaccess, wp-config.php, .bashrc…)",
    targets: K.FILENAME,
    needs: 0,
    test: (s) => (RESTRICTED_UPLOAD.test(filenameForm(s)) ? [0, s.lower.length] : null),
  },
  {
    id: "rce.bare-command",
    family: "rce",
    level: "strict",
    description: "A value that is only a command with arguments (cat x, id, uname -a)",
    targets: K.ARG_VALUE | K.COOKIE_VALUE,
    needs: 0,
    test: (s) => {
      const m = /^[\s]*([a-z][a-z0-9_.-]{0,20})(?:[\s]+-{1,2}[a-z]|[\s]+\/|$)/.exec(shellForm(s));
      return m && COMMANDS.has(m[1]!) && !WORDY.has(m[1]!) ? [0, m[0].length] : null;
    },
  },
];
