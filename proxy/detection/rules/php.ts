// PHP code injection: open tags, stream wrappers, superglobals, calls of
// dangerous functions (with whitespace/comment evasions), variable
// functions, serialized objects, php.ini directives and script uploads.
import { C, C_QUOTES, K, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";
import { isMarkdownDocument } from "./context.js";
import { filenameForm } from "./rce.js";

const OPEN_TAG = /<\?(?:php\b|=)/;
/** What turns quoted PHP in a markdown code block into a payload: execution, obfuscation, request input, backticks, variable calls. */
const PHP_PAYLOAD_BODY =
  /\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|eval|assert|create_function|base64_decode|gzinflate|str_rot13|file_put_contents|fsockopen|include|require)[\s]*\(|`|\$_(?:get|post|request|cookie|server|files|env)\b|\$\$?[a-z_][a-z0-9_]{0,30}[\s]*\(/;
/** A dangerous function name passed as a callback argument: array_map('system', …), usort($a, "assert"). */
const CALLBACK_NAME =
  /[(,][\s]*(["'])(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|assert|eval|create_function|call_user_func|call_user_func_array)\1[\s]*[,)]/;
/** A parenthesised name built by concatenation and called at once: ('sys'.'tem')('id'), ($a[0].$a[1])(…). */
const CONCAT_CALL =
  /\([\s]*(?:['"][a-z0-9_]{0,20}['"]|\$[a-z_][a-z0-9_]{0,20}(?:\[[^\]\n]{0,12}\])?)(?:[\s]*\.[\s]*(?:['"][a-z0-9_]{0,20}['"]|\$[a-z_][a-z0-9_]{0,20}(?:\[[^\]\n]{0,12}\])?)){1,6}[\s]*\)[\s]*\(/;
/**
 * PHP functions that take a callable: the array_* family, sorts with a user
 * comparator, handler/callback registration, call_user_func*, ob_start.
 * choose('user', 'system') in prose or another language is not one of them.
 */
const CALLABLE_TAKER =
  /^(?:array_[a-z_]+|u[ak]?sort|call_user_func(?:_array)?|forward_static_call(?:_array)?|register_[a-z_]+|set_[a-z_]*handler|preg_replace_callback(?:_array)?|iterator_apply|ob_start|spl_autoload_register|is_callable|header_register_callback|[a-z_]*callback[a-z_]*)$/;

function takesCallable(name: string): boolean {
  return CALLABLE_TAKER.test(name);
}

/** The identifier before the "(" that encloses position `at` (the hit starts at that "(" or at a "," inside it; ≤ 200 characters back), or "". */
function enclosingCallName(t: string, at: number): string {
  let depth = 0;
  for (let i = at; i >= 0 && at - i <= 200; i--) {
    const c = t.charCodeAt(i);
    if (i < at && (c === 41 || c === 93)) depth++;
    else if (c === 91 && depth > 0) depth--;
    else if (c === 40) {
      if (depth > 0) {
        depth--;
        continue;
      }
      let j = i;
      while (j > 0 && (t.charCodeAt(j - 1) === 32 || t.charCodeAt(j - 1) === 9)) j--;
      const end = j;
      while (j > 0 && /[a-z0-9_]/.test(t[j - 1]!)) j--;
      return t.slice(j, end);
    }
  }
  return "";
}

/** include/require of a URL or a stream wrapper, with or without parentheses. */
const REMOTE_INCLUDE = /\b(?:include|require)(?:_once)?[\s(]{1,4}['"][\s]*(?:https?|ftps?|php|data|expect|phar|zip|ssh2)[\s]*:/;
/** A short open tag "<?" (any blanks) directly followed by PHP: a statement keyword, a call, a variable, backticks; <?xml is not PHP. */
const SHORT_OPEN_TAG =
  /<\?(?!xml\b)[\s]*(?:@?[a-z_][a-z0-9_]{1,30}[\s]*\(|@?(?:echo|print|include|include_once|require|require_once|eval|assert|exit|die|if|foreach|while|return)\b|\$[a-z_{]|`)/;
/** Forum/BBCode PHP blocks "[php]…[/php]" whose body calls something or touches a variable (a code-highlighting block without either is left alone). */
const BBCODE_PHP = /\[php\][^\]]{0,400}?(?:[a-z_][a-z0-9_]{1,30}[\s]*\(|\$[a-z_]|`)/;
const WRAPPER = /\b(?:php|phar|zip|expect|glob|ogg|rar|zlib|compress\.zlib|compress\.bzip2|data):\/\//;
/** A data: URI with a base64 body (data:;base64,…, data:text/plain;base64,…), read on the case-preserving text. */
const DATA_URI_BASE64 = /\bdata:[a-z0-9.+\/-]{0,60}(?:;[a-z0-9=.+-]{1,40}){0,3};base64,([a-z0-9+\/]{8,4000}={0,2})/gi;

/** A data: URI whose base64 body decodes to PHP (<?php, <?=): what include/require would run through allow_url_include. */
export function findDataUriPhp(text: string, lower: string): Hit | null {
  if (lower.indexOf("base64,") < 0) return null;
  DATA_URI_BASE64.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DATA_URI_BASE64.exec(text)) !== null) {
    const decoded = Buffer.from(m[1]!.slice(0, 400), "base64").toString("latin1").toLowerCase();
    if (OPEN_TAG.test(decoded)) return [m.index, m.index + m[0].length];
  }
  return null;
}
const SUPERGLOBAL = /\$_(?:server|get|post|cookie|request|files|env|session)\b|\$globals\b|\$http_(?:raw_post_data|[a-z]+_vars)\b/;
const SERIALIZED_OBJECT = /(?:^|[;{}|"'\s(])[oc]:\+?\d{1,4}:"[\w\\]{1,200}":\d{1,4}:\{/;
const SERIALIZED_ARRAY = /^[\s]*a:\d{1,4}:\{[\s]*(?:[sibd]:\d{1,10}[:;]|n;)/;

/** Functions that execute code or commands, read/write files, or are staples of obfuscated payloads. */
const FUNCTIONS = [
  "eval",
  "assert",
  "assert_options",
  "system",
  "exec",
  "shell_exec",
  "passthru",
  "popen",
  "proc_open",
  "pcntl_exec",
  "create_function",
  "call_user_func",
  "call_user_func_array",
  "preg_replace",
  "include",
  "include_once",
  "require",
  "require_once",
  "base64_decode",
  "gzinflate",
  "gzuncompress",
  "gzdecode",
  "str_rot13",
  "convert_uudecode",
  "hex2bin",
  "chr",
  "ord",
  "file_get_contents",
  "file_put_contents",
  "fopen",
  "fwrite",
  "fputs",
  "fread",
  "readfile",
  "file",
  "unlink",
  "rmdir",
  "mkdir",
  "copy",
  "rename",
  "move_uploaded_file",
  "phpinfo",
  "posix_getpwuid",
  "posix_kill",
  "posix_mkfifo",
  "posix_setuid",
  "proc_nice",
  "putenv",
  "getenv",
  "ini_set",
  "ini_get",
  "ini_restore",
  "set_time_limit",
  "ignore_user_abort",
  "dl",
  "symlink",
  "link",
  "chmod",
  "chown",
  "chgrp",
  "touch",
  "filegroup",
  "fileowner",
  "fileperms",
  "highlight_file",
  "show_source",
  "php_uname",
  "phpversion",
  "getmypid",
  "getcwd",
  "scandir",
  "glob",
  "opendir",
  "readdir",
  "parse_ini_file",
  "unserialize",
  "serialize",
  "var_dump",
  "print_r",
  "var_export",
  "debug_zval_dump",
  "printf",
  "sprintf",
  "vsprintf",
  "substr",
  "strrev",
  "str_replace",
  "implode",
  "explode",
  "array_map",
  "array_filter",
  "array_walk",
  "usort",
  "uasort",
  "uksort",
  "register_shutdown_function",
  "register_tick_function",
  "ob_start",
  "mail",
  "header",
  "setcookie",
  "extract",
  "parse_str",
  "import_request_variables",
  "intval",
  "strip_tags",
  "htmlspecialchars_decode",
  "unpack",
  "pack",
  "fsockopen",
  "pfsockopen",
  "stream_socket_client",
  "curl_exec",
  "curl_init",
  "escapeshellcmd",
  "escapeshellarg",
  "apache_child_terminate",
  "mb_ereg_replace",
  "mb_eregi_replace",
  "preg_replace_callback",
  "iterator_apply",
  "get_defined_vars",
  "get_defined_functions",
  "func_get_args",
  "reflectionfunction",
  "simplexml_load_string",
  "urldecode",
  "rawurldecode",
  "base_convert",
  "stream_get_contents",
  "mysql_query",
  "mysqli_query",
  "pg_query",
  "ftp_connect",
  "socket_create",
  "lchown",
  "disk_free_space",
  "tmpfile",
  "tempnam",
  "fpassthru",
  "virtual",
  "openlog",
  "syslog",
  "error_log",
];
const FUNCTION_NAME = new RegExp(`(?:^|[^\\w$>:.\\\\-])@?(${FUNCTIONS.join("|")})\\b`, "g");
const QUOTED_FUNCTION =
  /(["'])[\s]*(?:system|exec|shell_exec|passthru|popen|proc_open|assert|eval|phpinfo|base64_decode|create_function|call_user_func|include|require|file_get_contents|readfile|unlink|fopen|pcntl_exec)[\s]*\1[\s]*\)?[\s]*\(|\([\s]*(?:system|exec|shell_exec|passthru|popen|assert|phpinfo)[\s]*\)[\s]*\(/;
const INI_DIRECTIVE =
  /^[\s]*(?:allow_url_fopen|allow_url_include|auto_prepend_file|auto_append_file|disable_functions|disable_classes|open_basedir|engine|extension|extension_dir|zend_extension|precision|serialize_precision|smtp|smtp_port|sendmail_path|sendmail_from|memory_limit|max_execution_time|max_input_time|max_input_vars|unserialize_max_depth|unserialize_callback_func|include_path|error_log|error_reporting|display_errors|display_startup_errors|log_errors|file_uploads|upload_tmp_dir|upload_max_filesize|post_max_size|short_open_tag|output_buffering|output_handler|expose_php|doc_root|user_dir|safe_mode|register_globals|magic_quotes_gpc|enable_dl|html_errors|default_charset|user_ini\.filename|(?:opcache|mbstring|session|zend|pcre|mysqli|pdo_mysql|xdebug|phar|apc|assert|mail|sqlite3|curl|openssl|suhosin|date|realpath_cache|highlight|zlib|iconv|intl)\.[a-z_.]{2,60})[\s]*=/;
const SCRIPT_UPLOAD = /\.(?:php\d*|phtml\d*|pht|phps|phar|pgif|shtml|inc|hphp|ctp|module)\.*$/;
const SESSION_FILE = /^sess_[a-z0-9,-]{20,64}$/;

const TRIVIA_WINDOW = 256;
/** The start of a PHP argument list: empty, a literal, a variable, backticks, or an identifier used as a call/constant/concatenation. */
const PHP_ARGUMENT = /^[\s]*(?:\)|['"`$\d@\[(]|[a-z_\\][a-z0-9_\\]{0,40}[\s]*(?:\(|::|\.|,|\)|$))/;

/**
 * Skips blanks and PHP comments (at most TRIVIA_WINDOW characters, which
 * keeps every scan linear); # and // comments must end in a newline, or they
 * swallow the call. Returns -1 when the window is exhausted.
 */
function skipPhpTrivia(t: string, i: number): number {
  const n = Math.min(t.length, i + TRIVIA_WINDOW);
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c <= 32) {
      i++;
    } else if (c === 47 && t.charCodeAt(i + 1) === 42) {
      i += 2;
      while (i < n && !(t.charCodeAt(i) === 42 && t.charCodeAt(i + 1) === 47)) i++;
      if (i >= n) return -1;
      i += 2;
    } else if (c === 35 || (c === 47 && t.charCodeAt(i + 1) === 47)) {
      while (i < n && t.charCodeAt(i) !== 10) i++;
      if (i >= n) return -1;
      i++;
    } else return i;
  }
  return i < t.length ? -1 : i;
}

const INCLUDE_NAMES = new Set(["include", "include_once", "require", "require_once"]);
const UNQUOTED_PATH_ARGUMENT = /^[\s]*(?:[/.\\]|[a-z]:[/\\])/;

function findFunctionCall(t: string): Hit | null {
  FUNCTION_NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FUNCTION_NAME.exec(t)) !== null) {
    const nameEnd = m.index + m[0].length;
    const j = skipPhpTrivia(t, nameEnd);
    // "system (as designed)": with a gap before "(", the argument must look like PHP (a literal, variable, call, constant expression)
    if (j < 0 || t.charCodeAt(j) !== 40) continue;
    // "include(/var/www/x.php): failed to open stream" is a PHP warning in a log excerpt: PHP needs a quoted path
    if (INCLUDE_NAMES.has(m[1]!) && UNQUOTED_PATH_ARGUMENT.test(t.slice(j + 1, j + 8))) continue;
    if (j === nameEnd || PHP_ARGUMENT.test(t.slice(j + 1, j + 48))) return [m.index, j + 1];
  }
  return null;
}

/** Index of the bracket closing the one at `open` (nesting honoured, 200-character window), or -1. */
function matchBracket(t: string, open: number): number {
  const o = t.charCodeAt(open);
  const c = o === 91 ? 93 : o === 123 ? 125 : 41;
  let depth = 0;
  const end = Math.min(t.length, open + 200);
  for (let i = open; i < end; i++) {
    const x = t.charCodeAt(i);
    if (x === o) depth++;
    else if (x === c && --depth === 0) return i;
  }
  return -1;
}

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c > 127;
}

/**
 * PHP variable functions: $f(…), $$f(…), ${'a'}(…), $a['x'](…), $o->$m(…),
 * Foo::$m(…), with comments and whitespace between the parts.
 */
export function findVariableFunction(t: string): Hit | null {
  const n = t.length;
  let i = t.indexOf("$");
  while (i >= 0) {
    let j = i;
    while (t.charCodeAt(j) === 36) j++;
    const runEnd = j;
    j = skipPhpTrivia(t, j);
    let ok = false;
    if (j >= 0) {
      const c = t.charCodeAt(j);
      if (c === 123 /* { */) {
        const e = matchBracket(t, j);
        if (e > j + 1) {
          ok = true;
          j = e + 1;
        }
      } else if ((c >= 97 && c <= 122) || c === 95 || c > 127) {
        while (j < n && isIdentChar(t.charCodeAt(j))) j++;
        ok = true;
      }
    }
    for (let steps = 0; ok && steps < 16; steps++) {
      const k = skipPhpTrivia(t, j);
      if (k < 0) {
        ok = false;
        break;
      }
      const d = t.charCodeAt(k);
      if (d === 91 /* [ */ || d === 123 /* { */) {
        const close = matchBracket(t, k);
        // $a[]() and $a{}() are not calls
        if (close <= k + 1) ok = false;
        else j = close + 1;
      } else if (d === 45 && t.charCodeAt(k + 1) === 62) {
        let e = skipPhpTrivia(t, k + 2);
        if (e < 0) {
          ok = false;
          break;
        }
        if (t.charCodeAt(e) === 36) e++;
        const s0 = e;
        while (e < n && isIdentChar(t.charCodeAt(e))) e++;
        if (e === s0) ok = false;
        else j = e;
      } else break;
    }
    if (ok) {
      const k = skipPhpTrivia(t, j);
      if (k >= 0 && t.charCodeAt(k) === 40) return [i, k + 1];
    }
    i = t.indexOf("$", runEnd);
  }
  return null;
}

const T = K_INPUT | K.PATH;

function uploadName(s: Subject): string {
  return filenameForm(s);
}

export const PHP_RULES: Rule[] = [
  {
    id: "php.open-tag",
    family: "php",
    level: "basic",
    description: "PHP open tags (<?php, <?=); inside a markdown code block only when the PHP executes, obfuscates or reads request input",
    targets: T,
    needs: C.LT,
    test: (s) => {
      const hit = reHit(OPEN_TAG, s.lower);
      if (!hit || !isMarkdownDocument(s)) return hit;
      // a template snippet in a forum post (<?php echo htmlspecialchars($x) ?>) is quoted code
      // the PHP runs to "?>" or to the fence that closes the code block, whichever comes first
      const rest = s.lower.slice(hit[1]);
      const fence = rest.indexOf("```");
      const close = rest.indexOf("?>");
      const end = Math.min(fence < 0 ? rest.length : fence, close < 0 ? rest.length : close);
      return PHP_PAYLOAD_BODY.test(rest.slice(0, end)) ? hit : null;
    },
  },
  {
    id: "php.short-open-tag",
    family: "php",
    level: "standard",
    description: "Short open tags followed by PHP (<? system(…), <?\techo, <? $x), and [php]…[/php] blocks with calls or variables",
    targets: T,
    needs: C.LT | C.LBRACK,
    test: (s) => reHit(SHORT_OPEN_TAG, s.lower) ?? (s.lower.indexOf("[php]") >= 0 ? reHit(BBCODE_PHP, s.lower) : null),
  },
  {
    id: "php.wrapper",
    family: "php",
    level: "basic",
    description: "PHP stream wrappers (php://, phar://, zip://, expect://, data://…)",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(WRAPPER, s.lower),
  },
  {
    id: "php.data-uri-code",
    family: "php",
    level: "standard",
    description: "data: URIs whose base64 body decodes to PHP code (data:;base64,PD9waHAg… = <?php …)",
    targets: T,
    needs: C.COLON,
    test: (s) => findDataUriPhp(s.text, s.lower),
  },
  {
    id: "php.serialized-object",
    family: "php",
    level: "basic",
    description: 'Serialized PHP objects (O:8:"stdClass":1:{…}) for object injection',
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(SERIALIZED_OBJECT, s.lower) ?? reHit(SERIALIZED_ARRAY, s.lower),
  },
  {
    id: "php.superglobal",
    family: "php",
    level: "standard",
    description: "PHP superglobals ($_SERVER, $_GET, $GLOBALS…)",
    targets: T,
    needs: C.DOLLAR,
    test: (s) => reHit(SUPERGLOBAL, s.lower),
  },
  {
    id: "php.function-call",
    family: "php",
    level: "standard",
    description: "Calls of code-execution, file and obfuscation functions, also with blanks/comments before ( and quoted names",
    targets: T,
    needs: C.LPAREN,
    test: (s) => findFunctionCall(s.lower) ?? reHit(QUOTED_FUNCTION, s.lower),
  },
  {
    id: "php.callback-name",
    family: "php",
    level: "standard",
    description:
      "A code-execution function name passed as a callback argument (array_map('system',…), usort($a,'assert'), register_shutdown_function('passthru',…))",
    targets: T,
    needs: C_QUOTES,
    test: (s) => {
      const hit = s.has(C.LPAREN) ? reHit(CALLBACK_NAME, s.lower) : null;
      return hit && takesCallable(enclosingCallName(s.lower, hit[0])) ? hit : null;
    },
  },
  {
    id: "php.concatenated-call",
    family: "php",
    level: "standard",
    description: "A function name built by string concatenation and called at once (('sys'.'tem')('id'), ($a[0].$a[1])(…))",
    targets: T,
    needs: C.DOT,
    test: (s) => (s.has(C.LPAREN) ? reHit(CONCAT_CALL, s.lower) : null),
  },
  {
    id: "php.remote-include",
    family: "php",
    level: "standard",
    description: "include/require of a URL or stream wrapper (include 'http://…', require_once('php://input'))",
    targets: T,
    needs: C.COLON,
    test: (s) => (s.lower.indexOf("include") >= 0 || s.lower.indexOf("require") >= 0 ? reHit(REMOTE_INCLUDE, s.lower) : null),
  },
  {
    id: "php.variable-function",
    family: "php",
    level: "standard",
    description: "Variable function calls ($f(…), ${'x'}(…), $a['k'](…), $o->$m(…))",
    targets: T,
    needs: C.DOLLAR,
    test: (s) => (s.has(C.LPAREN) ? findVariableFunction(s.lower) : null),
  },
  {
    id: "php.ini-directive",
    family: "php",
    level: "standard",
    description: "php.ini directive assignments (allow_url_include=, auto_prepend_file=, opcache.*=)",
    targets: K_INPUT,
    needs: C.EQ,
    test: (s) => reHit(INI_DIRECTIVE, s.lower),
  },
  {
    id: "php.script-upload",
    family: "php",
    level: "standard",
    description: "Uploads of PHP scripts (.php, .phtml, .phar…, trailing dots and blanks ignored)",
    targets: K.FILENAME,
    needs: 0,
    test: (s) => (SCRIPT_UPLOAD.test(uploadName(s)) ? [0, s.lower.length] : null),
  },
  {
    id: "php.session-file-upload",
    family: "php",
    level: "standard",
    description: "Uploads named like PHP session files (sess_<id>), to plant a session",
    targets: K.FILENAME,
    needs: 0,
    test: (s) => (SESSION_FILE.test(uploadName(s)) ? [0, s.lower.length] : null),
  },
];
