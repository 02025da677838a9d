// SQL injection: structural detection on the token stream of
// sql-tokenizer.ts, evaluated as if the value were pasted unquoted, inside
// '…', inside "…" and inside `…`. Each rule is an injection *shape*.
import { tokenizeSql, Tk, type SqlToken } from "../sql-tokenizer.js";
import { C, C_QUOTES, K, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";

const SQL_TYPES = new Set([
  "int",
  "integer",
  "bigint",
  "smallint",
  "tinyint",
  "int2",
  "int4",
  "int8",
  "text",
  "varchar",
  "char",
  "bool",
  "boolean",
  "json",
  "jsonb",
  "float",
  "float4",
  "float8",
  "double",
  "real",
  "numeric",
  "decimal",
  "date",
  "timestamp",
  "timestamptz",
  "time",
  "interval",
  "regclass",
  "regproc",
  "oid",
  "bytea",
  "inet",
  "uuid",
  "xml",
  "money",
  "bit",
  "name",
  "cidr",
  "macaddr",
  "tsvector",
  "record",
]);
const TIME_FUNCTIONS = new Set(["sleep", "benchmark", "pg_sleep", "pg_sleep_for", "pg_sleep_until", "randomblob"]);
/** Functions with no business in user input: file access, command execution, error-based extraction. */
const DANGEROUS_FUNCTIONS = new Set([
  "load_file",
  "xp_cmdshell",
  "xp_dirtree",
  "xp_regread",
  "xp_fileexist",
  "xp_subdirs",
  "xp_availablemedia",
  "sp_executesql",
  "sp_oacreate",
  "sp_oamethod",
  "sp_makewebtask",
  "sp_addlogin",
  "sp_addsrvrolemember",
  "sp_configure",
  "openrowset",
  "opendatasource",
  "openquery",
  "lo_import",
  "lo_export",
  "lo_get",
  "lo_put",
  "lo_from_bytea",
  "pg_read_file",
  "pg_read_binary_file",
  "pg_ls_dir",
  "pg_stat_file",
  "dblink",
  "dblink_exec",
  "sys_eval",
  "sys_exec",
  "extractvalue",
  "updatexml",
  "name_const",
  "geometrycollection",
  "multipoint",
  "multipolygon",
  "multilinestring",
  "linestring",
  "polygon",
  "gtid_subset",
  "st_latfromgeohash",
  "st_longfromgeohash",
  "st_pointfromgeohash",
  "json_extract",
  "json_unquote",
  "json_keys",
  "jsonb_path_query",
  "json_contains",
  "jsonb_extract_path",
  "json_extract_path_text",
  "utl_inaddr",
  "utl_http",
  "dbms_pipe",
  "dbms_lock",
  "dbms_xmlgen",
  "dbms_ldap",
  "ctxsys",
  "xmltype",
  "make_set",
  "elt",
  "exp",
  "unistr",
  "group_concat",
  "concat_ws",
  "string_agg",
  "array_to_string",
  "string_to_array",
  "load_extension",
  "current_setting",
  "query_to_xml",
  "database_to_xml",
  "pg_sleep",
]);
/** Functions that reveal the DBMS; attack-shaped when called empty/unterminated or inside SQL. */
const INFO_FUNCTIONS = new Set([
  "user",
  "current_user",
  "session_user",
  "system_user",
  "database",
  "db_name",
  "schema",
  "version",
  "connection_id",
  "last_insert_id",
  "row_count",
  "found_rows",
  "suser_name",
  "suser_sname",
  "user_name",
  "host_name",
  "current_database",
  "current_schema",
  "schema_name",
  "db_id",
  "object_id",
  "is_srvrolemember",
  "@@version",
  "sqlite_version",
  "pg_backend_pid",
]);
const CATALOG_WORDS = new Set([
  "information_schema",
  "pg_catalog",
  "sysobjects",
  "syscolumns",
  "sysdatabases",
  "sysusers",
  "syslogins",
  "msysaccessobjects",
  "msysobjects",
  "msysqueries",
  "msysrelationships",
  "msysaces",
  "sqlite_master",
  "sqlite_schema",
  "sqlite_temp_master",
  "pg_shadow",
  "pg_user",
  "pg_authid",
  "pg_database",
  "pg_tables",
  "pg_namespace",
  "all_tables",
  "all_tab_columns",
  "user_tables",
  "user_tab_columns",
  "dba_users",
  "dba_tables",
  "tempdb",
  "msdb",
  "northwind",
  "schema_name",
  "table_schema",
  "pg_sleep",
  "sys.objects",
  "sys.tables",
  "sys.databases",
  "sys.columns",
  "sys.sql_logins",
  "mysql.user",
  "mysql.db",
  "performance_schema",
  "v$version",
  "xp_cmdshell",
  "xp_dirtree",
  "sp_executesql",
  "sp_oacreate",
  "sp_password",
  "master..sysdatabases",
  "master..xp_cmdshell",
  "master.dbo.xp_dirtree",
]);
const CONDITIONAL_FUNCTIONS = new Set(["if", "iif", "ifnull", "nullif", "isnull", "elt", "decode", "nvl", "coalesce", "case"]);
const JSON_OPS = new Set(["@>", "<@", "?|", "?&", "#>", "#>>", "#-", "->", "->>", "@?", "@@", "?"]);
const DDL_OBJECTS = new Set(["table", "database", "schema", "procedure", "function", "view", "trigger", "index", "user", "login", "column"]);

interface Ctx {
  toks: SqlToken[];
  /** Significant tokens (comments removed). */
  sig: SqlToken[];
  /** Lexed in a quote context: sig[0] is the string the value was assumed to sit in. */
  quoted: boolean;
}

type Findings = Map<string, Hit>;

const enum Od {
  None = 0,
  Literal,
  Ident,
  Call,
  Group,
}

/** Parses one operand at sig[i]; returns [index after it, kind]. */
function operand(sig: SqlToken[], i: number): [number, Od] {
  let t = sig[i];
  let steps = 0;
  while (t && t.t === Tk.Op && (t.v === "-" || t.v === "+" || t.v === "~" || t.v === "!") && steps++ < 4) t = sig[++i];
  if (!t) return [-1, Od.None];
  let kind: Od;
  if (t.t === Tk.Str || t.t === Tk.Num || t.t === Tk.Var || (t.t === Tk.Kw && (t.v === "null" || t.v === "true" || t.v === "false"))) {
    kind = t.t === Tk.Var ? Od.Ident : Od.Literal;
    i++;
  } else if (t.t === Tk.Word) {
    kind = Od.Ident;
    i++;
    while (sig[i]?.t === Tk.Dot && (sig[i + 1]?.t === Tk.Word || sig[i + 1]?.t === Tk.Str)) i += 2;
  } else if (t.t === Tk.Fn || t.t === Tk.LPar) {
    kind = t.t === Tk.Fn ? Od.Call : Od.Group;
    let j = t.t === Tk.Fn ? i + 1 : i;
    if (sig[j]?.t !== Tk.LPar) return [i + 1, kind];
    let depth = 0;
    for (; j < sig.length; j++) {
      const tt = sig[j]!.t;
      if (tt === Tk.LPar) depth++;
      else if (tt === Tk.RPar && --depth === 0) break;
    }
    // "(1=1" with the ")" left to the application's query: look inside the group
    if (j >= sig.length && t.t === Tk.LPar) return operand(sig, i + 1);
    i = j + 1;
  } else return [-1, Od.None];
  // postfix casts: x::int
  while (sig[i]?.v === "::" && (sig[i + 1]?.t === Tk.Word || sig[i + 1]?.t === Tk.Kw)) i += 2;
  return [i, kind];
}

function isCmp(t: SqlToken | undefined): boolean {
  return t !== undefined && t.t === Tk.Cmp;
}

function hitOf(sig: SqlToken[], a: number, b: number): Hit {
  const first = sig[Math.max(0, Math.min(a, sig.length - 1))]!;
  const last = sig[Math.max(0, Math.min(b, sig.length - 1))]!;
  return [first.start, Math.max(first.end, last.end)];
}

/** Kinds of the last comparison() operands, for callers that weigh identifier comparisons. */
let lastKinds: [Od, Od] = [Od.None, Od.None];

/** operand CMP operand at sig[i]; returns end index or -1. Both operands bare identifiers (English "cats like dogs") do not count. */
function comparison(sig: SqlToken[], i: number, allowOpenEnd: boolean): number {
  const [a, ka] = operand(sig, i);
  if (a < 0 || !isCmp(sig[a])) return -1;
  let c = a + 1;
  // "is not null", "not like", "sounds like"
  while (sig[c] && (sig[c]!.v === "not" || sig[c]!.v === "like") && c < a + 3) c++;
  if (c >= sig.length) return allowOpenEnd && ka !== Od.Ident ? c : -1;
  const [b, kb] = operand(sig, c);
  if (b < 0) return -1;
  if (ka === Od.Ident && kb === Od.Ident) return -1;
  if (sig[a]!.v === "?" && (ka !== Od.Literal || kb !== Od.Literal)) return -1;
  lastKinds = [ka, kb];
  return b;
}

/** Whether the statement keyword at sig[k] is followed by what that statement needs ("exec summary" is prose, "exec xp_…" is not). */
function statementLooksSql(sig: SqlToken[], k: number): boolean {
  const a = sig[k + 1];
  const b = sig[k + 2];
  switch (sig[k]!.v) {
    case "select":
      if (a === undefined) return true;
      if (a.t === Tk.Num || a.t === Tk.Fn || a.t === Tk.Var || a.t === Tk.LPar || (a.t === Tk.Str && !a.flag)) return true;
      if (a.v === "*" || a.v === "null" || a.v === "distinct" || a.v === "all" || a.v === "top") return true;
      return (
        a.t === Tk.Word &&
        (b === undefined ||
          b.t === Tk.Comma ||
          b.t === Tk.Op ||
          b.t === Tk.Union ||
          b.t === Tk.RPar ||
          b.t === Tk.Semi ||
          b.t === Tk.Dot ||
          b.v === "from" ||
          b.v === "as" ||
          b.v === "into")
      );
    case "insert":
    case "replace":
      return a?.v === "into";
    case "update":
      return (a?.t === Tk.Word || a?.t === Tk.Str) && b?.v === "set";
    case "delete":
      return a?.v === "from";
    case "drop":
    case "create":
    case "alter":
    case "truncate":
      return a !== undefined && DDL_OBJECTS.has(a.v);
    case "exec":
    case "execute":
      return (
        a !== undefined &&
        ((a.t === Tk.Word && /^(?:xp_|sp_|master\b|dbo\b)/.test(a.v)) ||
          (a.t === Tk.Fn && /^(?:xp_|sp_)/.test(a.v)) ||
          a.t === Tk.Var ||
          a.t === Tk.LPar ||
          a.t === Tk.Str)
      );
    case "declare":
      return a?.t === Tk.Var;
    case "waitfor":
      return a?.v === "delay" || a?.v === "time";
    case "shutdown":
      return a === undefined || a.t === Tk.Semi || a.t === Tk.Kw;
    case "grant":
    case "revoke":
      return a !== undefined && (a.v === "all" || a.t === Tk.Stmt);
    default:
      return false;
  }
}

function putOnce(out: Findings, id: string, hit: Hit): void {
  if (!out.has(id)) out.set(id, hit);
}

function analyseContext(ctx: Ctx, out: Findings): void {
  const { sig, toks, quoted } = ctx;
  const n = sig.length;
  const put = (id: string, hit: Hit): void => putOnce(out, id, hit);
  // Comment tokens that are MySQL executable / optimizer-hint comments.
  for (const t of toks) {
    if (t.t === Tk.Comment && t.flag) put("sqli.mysql-comment", [t.start, t.end]);
  }
  let start = 0;
  if (quoted) {
    // sig[0] is the string the value was assumed to sit in: what follows it is injected SQL.
    start = 1;
    let k = 1;
    while (sig[k] && (sig[k]!.t === Tk.RPar || sig[k]!.t === Tk.Semi)) k++;
    const next = sig[k];
    const closed = sig[0] && !sig[0].flag;
    if (closed) {
      // admin'--   admin')#   : the rest of the application's query is commented out
      const rest = toks.slice(1);
      if (rest.length > 0 && rest.some((t) => t.t === Tk.Comment) && rest.every((t) => t.t === Tk.Comment || t.t === Tk.RPar) && sig[0]!.v.length > 0) {
        put("sqli.comment-termination", [sig[0]!.end - 1, toks[toks.length - 1]!.end]);
      }
      if (next) {
        const after = sig[k + 1];
        // the keyword itself in quotes ("the 'update' button") is prose, not injection
        const quotedWord = after !== undefined && after.t === Tk.Str && after.start === next.end;
        if (!quotedWord && after !== undefined && next.t === Tk.Stmt && statementLooksSql(sig, k)) {
          put("sqli.quote-break", hitOf(sig, k - 1, k + 1));
        } else if (next.t === Tk.Cmp && (next.v === "regexp" || next.v === "rlike")) {
          put("sqli.quote-break", hitOf(sig, k - 1, k + 1));
        } else if (next.t === Tk.Cmp && next.v === "like") {
          const f = sig[k + 1];
          if (f && (f.t === Tk.Num || f.t === Tk.LPar || f.t === Tk.Fn || (f.t === Tk.Str && (!f.flag || f.v.startsWith("%") || f.v.startsWith("_")))))
            put("sqli.quote-break", hitOf(sig, k - 1, k + 1));
        } else if (
          next.t === Tk.Kw &&
          (next.v === "from" ||
            next.v === "where" ||
            next.v === "having" ||
            next.v === "into" ||
            next.v === "procedure" ||
            next.v === "limit" ||
            next.v === "order" ||
            next.v === "group")
        ) {
          const f = sig[k + 1];
          if (
            next.v === "order" || next.v === "group"
              ? f?.v === "by"
              : f === undefined || f.t === Tk.Word || f.t === Tk.Str || f.t === Tk.Num || f.t === Tk.LPar || f.t === Tk.Fn
          )
            put("sqli.quote-break", hitOf(sig, k - 1, k + 1));
        } else if (next.t === Tk.Kw && next.v === "as" && (sig[k + 1]?.t === Tk.Str || sig[k + 1]?.t === Tk.Word) && sig[k + 2]?.v === "from") {
          put("sqli.alias-from", hitOf(sig, k, k + 2));
        }
        if (next.t === Tk.Logic) {
          const op = sig[k + 1];
          const [e] = operand(sig, k + 1);
          // short tautology: ' or 1--   ' or true#   ' and sleep(5)
          if (
            op &&
            (op.t === Tk.Num || (op.t === Tk.Kw && (op.v === "true" || op.v === "false"))) &&
            (e === n || sig[e]?.t === Tk.RPar || sig[e]?.t === Tk.Semi) &&
            toks.some((t) => t.t === Tk.Comment && t.start > op.start)
          ) {
            put("sqli.tautology", hitOf(sig, k, k + 1));
          }
          if (op && op.t === Tk.Fn) put("sqli.quote-break", hitOf(sig, k, k + 1));
        }
      }
      // 'x' = 'x   ' <@ '{..}'
      if (sig[1] && isCmp(sig[1]) && sig[1].v !== "?" && comparison(sig, 0, false) > 0 && sig[0]!.v.length > 0) put("sqli.string-compare", hitOf(sig, 0, 2));
    }
  } else if (sig[0]?.t === Tk.Str && sig[0].start === 0 && sig[1] && isCmp(sig[1]) && sig[1].v !== "?") {
    if (comparison(sig, 0, false) > 0) put("sqli.string-compare", hitOf(sig, 0, 2));
  }

  const hasComment = toks.some((x) => x.t === Tk.Comment);
  const hasSemi = sig.some((x) => x.t === Tk.Semi);
  // a comparison before a boolean operator ("5 > 3 and 2 < 4") is a chain of comparisons: arithmetic prose
  let cmpSeen = false;
  for (let i = start; i < n; i++) {
    const t = sig[i]!;
    const nx = sig[i + 1];
    if (i > start && sig[i - 1]!.t === Tk.Cmp) cmpSeen = true;
    switch (t.t) {
      case Tk.Union: {
        let j = i + 1;
        while (sig[j] && (sig[j]!.v === "all" || sig[j]!.v === "distinct" || sig[j]!.v === "distinctrow" || sig[j]!.t === Tk.LPar)) j++;
        if (sig[j]?.t === Tk.Stmt && sig[j]!.v === "select") {
          // "union select committee" is prose; UNION SELECT needs a select list that looks like SQL
          const a = sig[j + 1];
          const b = sig[j + 2];
          const listLike =
            a === undefined
              ? toks.some((x) => x.t === Tk.Comment && x.start > sig[j]!.end)
              : a.t !== Tk.Word || b === undefined
                ? a.t !== Tk.Word || toks.some((x) => x.t === Tk.Comment && x.start > a.end)
                : b.t === Tk.Comma ||
                  b.v === "from" ||
                  b.t === Tk.Op ||
                  b.t === Tk.Union ||
                  b.t === Tk.RPar ||
                  b.t === Tk.Semi ||
                  b.t === Tk.Dot ||
                  b.v === "as" ||
                  b.v === "into";
          // …or UNION follows a literal, a parenthesis or the value start ("-1 UNION SELECT x", "' UNION SELECT")
          const prev = sig[i - 1];
          const afterSql = prev !== undefined && prev.t !== Tk.Word && prev.t !== Tk.Kw;
          if (listLike || afterSql || a === undefined) put("sqli.union-select", hitOf(sig, i, j));
        }
        break;
      }
      case Tk.Logic:
      case Tk.Kw: {
        if (t.t === Tk.Kw && t.v !== "where" && t.v !== "having") {
          if (t.v === "into" && nx && (nx.v === "outfile" || nx.v === "dumpfile")) put("sqli.into-outfile", hitOf(sig, i, i + 1));
          if (t.v === "case" && nx?.v === "when") {
            for (let j = i + 2; j < Math.min(n, i + 40); j++)
              if (sig[j]!.v === "then") {
                put("sqli.case-when", hitOf(sig, i, j));
                break;
              }
          }
          if (t.v === "group" && nx?.v === "by") {
            for (let j = i + 2; j < Math.min(n, i + 40); j++)
              if (sig[j]!.v === "having" && comparison(sig, j + 1, false) > 0) {
                put("sqli.boolean-clause", hitOf(sig, i, j + 2));
                break;
              }
          }
          if (t.v === "procedure" && nx && (nx.v === "analyse" || nx.v === "analyze")) put("sqli.dangerous-function", hitOf(sig, i, i + 1));
          if (t.v === "set" && nx?.t === Tk.Var && nx.v.length > 1 && (sig[i + 2]?.v === "=" || sig[i + 2]?.v === ":="))
            put("sqli.declare-variable", hitOf(sig, i, i + 2));
          if (t.v === "as" && i > 0 && (sig[i - 1]!.t === Tk.Num || sig[i - 1]!.t === Tk.Str) && nx && (nx.t === Tk.Str || nx.t === Tk.Word)) {
            if (sig[i + 2]?.v === "from") put("sqli.alias-from", hitOf(sig, i - 1, i + 2));
            else if (nx.t === Tk.Str && nx.flag && /^\s*from\b/.test(nx.v)) put("sqli.alias-from", hitOf(sig, i - 1, i + 1));
          }
          if (
            DDL_OBJECTS.has(t.v) &&
            i > 0 &&
            sig[i - 1]!.t === Tk.Stmt &&
            ["create", "drop", "alter", "truncate"].includes(sig[i - 1]!.v) &&
            (nx?.t === Tk.Word || nx?.t === Tk.Str || nx?.v === "if")
          )
            put("sqli.ddl-statement", hitOf(sig, i - 1, i + 1));
          break;
        }
        if (t.t === Tk.Logic && t.v === "not") break;
        const e = comparison(sig, i + 1, false);
        if (e > 0) {
          // "x > 5 or y < 3" is arithmetic prose: an identifier compared with a literal counts only
          // after a broken-out quote, with "="/LIKE after a leading literal, or when a comment follows
          const op = sig[operand(sig, i + 1)[0]]?.v ?? "";
          // JSON operators (?|, @>, #>…) never occur in prose
          const identCmp = (lastKinds[0] === Od.Ident || lastKinds[1] === Od.Ident) && !JSON_OPS.has(op);
          const first = sig[0]!;
          const strongCtx =
            quoted ||
            hasComment ||
            hasSemi ||
            ((op === "=" || op === "like" || op === "!=" || op === "<>") && (first.t === Tk.Num || first.t === Tk.Str || first.t === Tk.RPar));
          const chain = t.t === Tk.Logic && cmpSeen && !quoted && !hasComment && !hasSemi;
          if ((!identCmp || strongCtx) && !chain) put(t.t === Tk.Logic ? "sqli.tautology" : "sqli.boolean-clause", hitOf(sig, i, e - 1));
        }
        break;
      }
      case Tk.Stmt: {
        const v = t.v;
        if (v === "select") {
          if (
            nx &&
            (nx.t === Tk.Fn ||
              nx.t === Tk.Var ||
              (nx.t === Tk.LPar && sig[i + 2]?.v === "select") ||
              (nx.v === "*" && (sig[i + 2] === undefined || sig[i + 2]!.v === "from" || sig[i + 2]!.t === Tk.Comma)) ||
              (nx.t === Tk.Num &&
                (sig[i + 2] === undefined ||
                  sig[i + 2]!.t === Tk.Comma ||
                  sig[i + 2]!.v === "from" ||
                  sig[i + 2]!.t === Tk.Union ||
                  sig[i + 2]!.t === Tk.Semi ||
                  sig[i + 2]!.t === Tk.RPar ||
                  sig[i + 2]!.t === Tk.Op)) ||
              (nx.t === Tk.Str && nx.q !== 96 && !nx.flag && (sig[i + 2] === undefined || sig[i + 2]!.t === Tk.Comma || sig[i + 2]!.v === "from")) ||
              nx.v === "pg_sleep" ||
              nx.v === "distinct" ||
              nx.v === "top")
          ) {
            put("sqli.select-expression", hitOf(sig, i, i + 1));
          } else {
            // select <list> from <table> [where a = b | group by | order by | limit n]
            let from = -1;
            let sqlish = false;
            for (let j = i + 1; j < Math.min(n, i + 30); j++) {
              const u = sig[j]!;
              if (u.v === "from") {
                from = j;
                break;
              }
              if (u.t === Tk.Comma || u.v === "*" || (u.t === Tk.Str && u.q === 96) || u.t === Tk.Fn) sqlish = true;
            }
            if (from > 0) {
              for (let j = from + 1; j < Math.min(n, from + 30); j++) {
                const u = sig[j]!;
                if ((u.v === "where" || u.v === "having") && comparison(sig, j + 1, true) > 0) {
                  sqlish = true;
                  break;
                }
                if ((u.v === "group" || u.v === "order") && sig[j + 1]?.v === "by") {
                  sqlish = true;
                  break;
                }
                if (u.v === "limit" && sig[j + 1]?.t === Tk.Num) {
                  sqlish = true;
                  break;
                }
              }
              if (sqlish) put("sqli.select-statement", hitOf(sig, i, from));
            }
          }
        } else if (v === "waitfor") {
          if (nx && (nx.v === "delay" || nx.v === "time") && sig[i + 2]?.t === Tk.Str) put("sqli.time-function", hitOf(sig, i, i + 2));
        } else if (v === "exec" || v === "execute") {
          if (
            nx &&
            ((nx.t === Tk.Word && /^(?:xp_|sp_|master\b|dbo\b)/.test(nx.v)) ||
              nx.t === Tk.Var ||
              (nx.t === Tk.LPar && (sig[i + 2]?.t === Tk.Var || sig[i + 2]?.t === Tk.Str)) ||
              (nx.t === Tk.Fn && /^(?:xp_|sp_)/.test(nx.v)))
          )
            put("sqli.mssql-exec", hitOf(sig, i, i + 1));
        } else if (v === "declare") {
          if (nx?.t === Tk.Var && nx.v.length > 1) put("sqli.declare-variable", hitOf(sig, i, i + 1));
        } else if (v === "insert" || v === "replace") {
          if (
            nx?.v === "into" &&
            (sig[i + 2]?.t === Tk.Word || sig[i + 2]?.t === Tk.Str || sig[i + 2]?.t === Tk.Fn) &&
            (sig[i + 3]?.v === "values" || sig[i + 3]?.t === Tk.LPar || sig[i + 3]?.v === "select" || sig[i + 2]?.t === Tk.Fn)
          )
            put("sqli.ddl-statement", hitOf(sig, i, i + 3));
        } else if (v === "delete") {
          if (
            nx?.v === "from" &&
            (sig[i + 2]?.t === Tk.Word || sig[i + 2]?.t === Tk.Str) &&
            (sig[i + 3] === undefined || sig[i + 3]!.v === "where" || sig[i + 3]!.t === Tk.Semi) &&
            (sig[i + 3] === undefined ? quoted : true)
          )
            put("sqli.ddl-statement", hitOf(sig, i, i + 2));
        } else if (v === "update") {
          if ((nx?.t === Tk.Word || nx?.t === Tk.Str) && sig[i + 2]?.v === "set" && comparison(sig, i + 3, false) > 0)
            put("sqli.ddl-statement", hitOf(sig, i, i + 3));
        } else if (v === "shutdown") {
          if (i > 0 && sig[i - 1]!.t === Tk.Semi) put("sqli.stacked-query", hitOf(sig, i - 1, i));
        }
        if (i > 0 && sig[i - 1]!.t === Tk.Semi && v !== "load" && v !== "handler" && v !== "rename" && v !== "replace" && v !== "merge") {
          const f = sig[i + 1];
          const strong =
            (quoted && i - 1 <= 2) ||
            (f &&
              (f.t === Tk.Num ||
                f.t === Tk.Fn ||
                f.t === Tk.Var ||
                f.v === "*" ||
                f.t === Tk.LPar ||
                f.t === Tk.Str ||
                ["into", "from", "table", "database", "master", "xp_cmdshell"].includes(f.v) ||
                /^(?:xp_|sp_)/.test(f.v)));
          if (strong) put("sqli.stacked-query", hitOf(sig, i - 1, i + 1));
        }
        break;
      }
      case Tk.Fn: {
        const name = t.v;
        // arguments: tokens between the "(" and its ")"
        let j = i + 1;
        let depth = 0;
        let close = -1;
        for (; j < n; j++) {
          const tt = sig[j]!.t;
          if (tt === Tk.LPar) depth++;
          else if (tt === Tk.RPar && --depth === 0) {
            close = j;
            break;
          }
        }
        const argFirst = sig[i + 2];
        const emptyOrOpen = argFirst === undefined || argFirst.t === Tk.RPar;
        if (TIME_FUNCTIONS.has(name)) {
          let wordy = false;
          let anyClose = close > 0;
          for (let k = i + 2; k < (close > 0 ? close : n); k++) {
            const a = sig[k]!;
            const b = sig[k + 1];
            if ((a.t === Tk.Word || a.t === Tk.Num) && b && b.t === Tk.Word) wordy = true;
            if (a.t === Tk.RPar) anyClose = true;
          }
          if (!anyClose) anyClose = sig.slice(i + 2).some((x) => x.t === Tk.RPar);
          if (!wordy && anyClose && argFirst && argFirst.t !== Tk.Word) put("sqli.time-function", hitOf(sig, i, i + 2));
        }
        if (DANGEROUS_FUNCTIONS.has(name)) {
          if ((name !== "exp" && name !== "elt" && name !== "polygon" && name !== "linestring") || (argFirst && argFirst.t !== Tk.Word))
            put("sqli.dangerous-function", hitOf(sig, i, i + 1));
        }
        if (name === "div" && argFirst && (argFirst.t === Tk.Num || argFirst.v === "-") && close > 0) put("sqli.dangerous-function", hitOf(sig, i, close));
        if (INFO_FUNCTIONS.has(name)) {
          const prev = sig[i - 1];
          if (
            emptyOrOpen ||
            (prev &&
              (prev.t === Tk.Stmt ||
                prev.t === Tk.Union ||
                prev.t === Tk.Comma ||
                prev.t === Tk.Cmp ||
                prev.t === Tk.Logic ||
                (prev.t === Tk.LPar && sig[i - 2]?.t === Tk.Fn)))
          ) {
            put("sqli.info-function", hitOf(sig, i, i + 1));
          }
        }
        if (CONDITIONAL_FUNCTIONS.has(name) && sig[i + 1]?.t === Tk.LPar) {
          const e = comparison(sig, i + 2, true);
          if (e > 0) put("sqli.conditional-function", hitOf(sig, i, Math.min(e, n - 1)));
        }
        break;
      }
      case Tk.Word: {
        if (CATALOG_WORDS.has(t.v)) put("sqli.catalog-reference", [t.start, t.end]);
        else if ((t.v === "mysql" || t.v === "sys" || t.v === "master") && nx?.t === Tk.Dot && sig[i + 2] && CATALOG_WORDS.has(`${t.v}.${sig[i + 2]!.v}`))
          put("sqli.catalog-reference", hitOf(sig, i, i + 2));
        else if (t.v === "master" && nx?.t === Tk.Dot && sig[i + 2]?.t === Tk.Dot) put("sqli.catalog-reference", hitOf(sig, i, i + 3));
        break;
      }
      case Tk.RPar: {
        if (nx && nx.t === Tk.Cmp && /^(?:like|rlike|regexp|between|in|sounds|glob)$/.test(nx.v)) {
          const f = sig[i + 2];
          if (f && (f.t === Tk.LPar || f.t === Tk.Str || f.t === Tk.Num || f.t === Tk.Fn)) put("sqli.operator-context", hitOf(sig, i, i + 2));
        }
        break;
      }
      case Tk.Str:
      case Tk.Num: {
        if (t.t === Tk.Str && t.q === 96 && CATALOG_WORDS.has(t.v)) put("sqli.catalog-reference", [t.start, t.end]);
        if (nx && nx.v === "::" && sig[i + 2] && SQL_TYPES.has(sig[i + 2]!.v)) put("sqli.pg-cast", hitOf(sig, i, i + 2));
        if (t.t === Tk.Str && nx && nx.t === Tk.Cmp && JSON_OPS.has(nx.v) && nx.v !== "?") {
          const f = sig[i + 2];
          if (f && (f.t === Tk.Str || f.t === Tk.Num)) put("sqli.json-operator", hitOf(sig, i, i + 2));
        }
        break;
      }
      default:
        if (t.v === "::" && i > 0 && (sig[i - 1]!.t === Tk.Word || sig[i - 1]!.t === Tk.RPar) && sig[i + 1] && SQL_TYPES.has(sig[i + 1]!.v)) {
          const after = sig[i + 2];
          if (after === undefined || after.t !== Tk.Word || after.v === "precision") put("sqli.pg-cast", hitOf(sig, i - 1, i + 1));
        }
    }
  }
}

/** Runs the analyser in every quote context the value allows. */
export function analyseSql(lower: string): Findings {
  const out: Findings = new Map();
  const run = (quote: number): void => {
    const toks = tokenizeSql(lower, quote);
    const sig = toks.filter((t) => t.t !== Tk.Comment);
    analyseContext({ toks, sig, quoted: quote !== 0 }, out);
  };
  run(0);
  if (lower.indexOf("'") >= 0) run(39);
  if (lower.indexOf('"') >= 0) run(34);
  if (lower.indexOf("`") >= 0) run(96);
  return out;
}

// Every shape above needs at least one of these triggers, so values without
// any (most benign values, browser User-Agents…) are never tokenized. Keep in
// step with the analyser when adding a shape. A word scan with set lookups is
// several times cheaper than one big alternation regex.
const TRIGGER_WORDS = new Set([
  "union",
  "select",
  "insert",
  "update",
  "delete",
  "drop",
  "exec",
  "execute",
  "declare",
  "sleep",
  "benchmark",
  "pg_sleep",
  "waitfor",
  "randomblob",
  "outfile",
  "dumpfile",
  "create",
  "alter",
  "truncate",
  "shutdown",
  "having",
  "where",
  "procedure",
  "case",
  "analyse",
  "analyze",
  "information_schema",
  "sysobjects",
  "syscolumns",
  "sysdatabases",
  "sysusers",
  "syslogins",
  "tempdb",
  "msdb",
  "northwind",
  "performance_schema",
  "schema_name",
  "table_schema",
  "pg_catalog",
]);
const TRIGGER_PREFIXES = [
  "xp_",
  "sp_",
  "pg_",
  "lo_",
  "dbms_",
  "utl_",
  "sys_",
  "json_",
  "jsonb_",
  "st_",
  "gtid_",
  "sqlite_",
  "msys",
  "all_tab",
  "user_tab",
  "dba_",
  "v$",
];
/** Names that count only as calls: word followed by "(" or a comment. */
const TRIGGER_CALLS = new Set([
  "load_file",
  "extractvalue",
  "updatexml",
  "name_const",
  "geometrycollection",
  "multipoint",
  "multipolygon",
  "multilinestring",
  "polygon",
  "linestring",
  "concat",
  "concat_ws",
  "group_concat",
  "string_agg",
  "make_set",
  "char",
  "nchar",
  "chr",
  "ascii",
  "substring",
  "substr",
  "mid",
  "user",
  "current_user",
  "session_user",
  "system_user",
  "database",
  "db_name",
  "db_id",
  "schema",
  "version",
  "connection_id",
  "last_insert_id",
  "row_count",
  "found_rows",
  "suser_name",
  "suser_sname",
  "user_name",
  "host_name",
  "current_database",
  "current_schema",
  "object_id",
  "is_srvrolemember",
  "if",
  "iif",
  "ifnull",
  "nullif",
  "isnull",
  "elt",
  "decode",
  "nvl",
  "coalesce",
  "div",
  "openrowset",
  "opendatasource",
  "openquery",
  "exp",
  "unistr",
  "current_setting",
  "query_to_xml",
  "database_to_xml",
  "dblink",
  "dblink_exec",
  "convert",
  "cast",
  "load_extension",
  "array_to_string",
  "string_to_array",
  "xmltype",
  "ctxsys",
]);

function isSqlWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** True when the value contains a SQL trigger word, a call of a SQL function, or ::, /*, @@, mysql./master. */
export function hasSqlTrigger(l: string): boolean {
  const n = l.length;
  let i = 0;
  while (i < n) {
    const c = l.charCodeAt(i);
    if (!isSqlWordChar(c) || (c >= 48 && c <= 57 && i > 0 && isSqlWordChar(l.charCodeAt(i - 1)))) {
      if ((c === 58 && l.charCodeAt(i + 1) === 58) || (c === 47 && l.charCodeAt(i + 1) === 42) || (c === 64 && l.charCodeAt(i + 1) === 64)) return true;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isSqlWordChar(l.charCodeAt(j))) j++;
    if (j - i >= 2 && j - i <= 40) {
      const w = l.slice(i, j);
      if (TRIGGER_WORDS.has(w)) return true;
      if (w.indexOf("_") > 0 || w.charCodeAt(0) === 109 /* m */ || w.charCodeAt(0) === 118 /* v */) {
        for (const p of TRIGGER_PREFIXES) if (w.length > p.length && w.startsWith(p)) return true;
      }
      const next = l.charCodeAt(j);
      if ((w === "mysql" || w === "master" || w === "sys") && next === 46) return true;
      if (TRIGGER_CALLS.has(w)) {
        let k = j;
        while (k < n && (l.charCodeAt(k) === 32 || l.charCodeAt(k) === 9 || l.charCodeAt(k) === 10 || l.charCodeAt(k) === 13)) k++;
        if (l.charCodeAt(k) === 40 || (l.charCodeAt(k) === 47 && l.charCodeAt(k + 1) === 42)) return true;
      }
    }
    i = j;
  }
  return false;
}
const LOGIC_WORD = /\b(?:or|and|xor)\b|&&|\|\|/;
const CMP_WORD = /\b(?:like|rlike|regexp|between|sounds|glob|ilike)\b/;
const PAREN_CMP = /\)[\s]*(?:like|rlike|regexp|between|sounds|glob|in)\b/;
const CMP_CHARS = C.EQ | C.LT | C.GT | C.BANG | C.QMARK | C.AT | C.HASH;

function needsSqlAnalysis(x: Subject): boolean {
  if (x.has(C_QUOTES)) return true;
  const l = x.lower;
  if (hasSqlTrigger(l)) return true;
  // tautologies without quotes: a boolean operator and something to compare with
  if (LOGIC_WORD.test(l) && (x.has(CMP_CHARS) || CMP_WORD.test(l))) return true;
  // ") like (" and friends
  return x.has(C.RPAREN) && PAREN_CMP.test(l);
}

const EMPTY: Findings = new Map();

function sqlFindings(s: Subject): Findings {
  return s.derive("sqli", (x) => (needsSqlAnalysis(x) ? analyseSql(x.lower) : EMPTY));
}

const SQL_ANALYSIS = { key: "sqli", run: sqlFindings };

const TARGETS = K_INPUT | K.PATH;

function structural(id: string, level: Rule["level"], description: string, targets = TARGETS): Rule {
  return { id, family: "sqli", level, description, targets, needs: 0, test: (s) => sqlFindings(s).get(id) ?? null, analysis: SQL_ANALYSIS };
}

const NOSQL_OPERATOR_NAME =
  /\[\s*\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|elemmatch|not|nor|or|and|text|expr|size|type|all|mod|jsonschema|options)\s*\]/;
const NOSQL_OPERATOR_KEY =
  /^\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|elemmatch|not|nor|or|and|text|expr|size|type|all|mod|jsonschema|function|accumulator|lookup|merge|out)$/;
const NOSQL_IN_VALUE = /\{\s*"?\$(?:ne|gt|gte|lt|lte|regex|where|exists|nin|in|expr|function)"?\s*:/;

/** Inline comments /*…*\/ read as the blank they are to the SQL parser (bounded, no nesting). */
function sqlFlat(s: Subject): string {
  return s.derive("sqlflat", (x) => (x.lower.indexOf("/*") >= 0 ? x.lower.replace(/\/\*[^*]{0,100}\*\//g, " ") : x.lower));
}

/**
 * Column-count probes: a short leading operand (number, word, quote or
 * parenthesis break) then ORDER BY / GROUP BY n[,n…], ending the value or
 * followed by a comment or terminator. "sort by 5 stars" never ends like that.
 */
const ORDER_BY_PROBE =
  /^[\s]*[a-z0-9_-]{0,30}[\s]*['"`]?[\s]*\){0,4}[\s]+(?:order|group)[\s]+by[\s]+\d{1,3}(?:[\s]*,[\s]*\d{1,3}){0,30}[\s]*(?:$|--|#|\/\*|;|\x00)/;
/**
 * A value that closes the application's string (a quote, then optional
 * parentheses and ;) and then only a comment: admin'--, x");--, ' '/*, bob';#.
 */
const QUOTE_TERMINATOR = /['"`][\s]*\){0,4}[\s]*;?[\s]*(?:--[\s+-]{0,6}|#[\s]{0,4}|\/\*[^*]{0,40}|;\x00|\x00)$/;
/** A quote broken out into || concatenation with an expression: '||(select …)||', "||pg_sleep(5)||", 1'||'1. */
const PIPE_CONCAT = /['"][\s]*\|\|[\s]*(?:\(|['"]|[a-z_][a-z0-9_.]{0,40}[\s]*\(|select\b)|\|\|[\s]*\([\s]*select\b/;

export const SQLI_RULES: Rule[] = [
  {
    id: "sqli.order-by-probe",
    family: "sqli",
    level: "standard",
    description:
      "Column-count probes: a short operand then ORDER BY / GROUP BY n[,n…] ending the value or followed by a comment (1' ORDER BY 5-- -, 1)/**/GROUP/**/BY/**/1,2,3#)",
    targets: K_INPUT | K.PATH,
    needs: C.DIGIT,
    test: (s) =>
      s.lower.indexOf(" by") >= 0 || s.lower.indexOf("/by") >= 0 || s.lower.indexOf("\tby") >= 0 || s.lower.indexOf("\nby") >= 0
        ? reHit(ORDER_BY_PROBE, sqlFlat(s))
        : null,
  },
  {
    id: "sqli.quote-terminator",
    family: "sqli",
    level: "standard",
    description: "A quote closing the application's string, optional ) and ;, then only a comment or NUL to the end of the value (admin'--, x\");--, ' '/*)",
    targets: K_INPUT | K.PATH,
    needs: C_QUOTES,
    test: (s) => reHit(QUOTE_TERMINATOR, s.lower),
  },
  {
    id: "sqli.pipe-concat",
    family: "sqli",
    level: "standard",
    description: "A quote broken out into || string concatenation with an expression ('||(SELECT …)||', '||pg_sleep(5)||', 1'||'1)",
    targets: K_INPUT | K.PATH,
    needs: C.PIPE,
    test: (s) => (s.lower.indexOf("||") >= 0 ? reHit(PIPE_CONCAT, s.lower) : null),
  },
  structural("sqli.union-select", "basic", "UNION [ALL|DISTINCT] SELECT, comments and parentheses allowed in between"),
  structural("sqli.tautology", "basic", "Boolean operator followed by a comparison that is not between two bare words (' OR 1=1, OR 'a'='a', OR x<@'{…}')"),
  structural("sqli.stacked-query", "basic", "Statement separator followed by a SQL statement with SQL-shaped arguments (; DROP …, '; SELECT …)"),
  structural("sqli.time-function", "basic", "Time-based blind injection: SLEEP(n), BENCHMARK(n,…), PG_SLEEP, WAITFOR DELAY '…'"),
  structural(
    "sqli.dangerous-function",
    "basic",
    "Calls of file, command or error-based extraction functions (LOAD_FILE, XP_CMDSHELL, EXTRACTVALUE, LO_IMPORT…)",
  ),
  structural("sqli.mysql-comment", "basic", "MySQL executable /*! … */ or optimizer-hint /*+ … */ comments, used to hide SQL from filters"),
  structural("sqli.into-outfile", "basic", "INTO OUTFILE / DUMPFILE file writes"),
  structural("sqli.mssql-exec", "basic", "EXEC of extended/system procedures or dynamic SQL (EXEC xp_…, EXEC master…, EXEC(@q))"),
  structural("sqli.quote-break", "standard", "A quote that closes the application's string literal, followed by SQL syntax"),
  structural("sqli.comment-termination", "standard", "A quote that closes the application's string literal, followed only by a comment (admin'--)"),
  structural("sqli.string-compare", "standard", "A string literal compared with another operand ('x'!='y', '{…}' < '$.a')"),
  structural("sqli.pg-cast", "standard", "PostgreSQL casts to SQL types (x::int, '…'::jsonb)"),
  structural("sqli.json-operator", "standard", "PostgreSQL/MySQL JSON operators between literals ('{…}' @> '{…}')"),
  // not on the path: "+" is a literal there and paths like /select+1,2+from are routes, not queries
  structural("sqli.select-expression", "standard", "SELECT followed by a function, variable, number list, * or sub-select", K_INPUT),
  structural("sqli.select-statement", "standard", "SELECT … FROM … with a WHERE/HAVING comparison, GROUP/ORDER BY or a SQL-shaped select list", K_INPUT),
  structural("sqli.info-function", "standard", "DBMS fingerprinting functions (USER(), DATABASE(), VERSION()…) called empty or inside SQL"),
  structural("sqli.catalog-reference", "standard", "References to DBMS catalogs and system objects (information_schema, pg_catalog, sysobjects…)"),
  structural("sqli.conditional-function", "standard", "Conditional functions whose first argument is a comparison (IF(1=1,…), IIF(…))"),
  structural("sqli.case-when", "standard", "CASE WHEN … THEN"),
  structural("sqli.boolean-clause", "standard", "WHERE/HAVING/WHEN/ON followed by a comparison, GROUP BY … HAVING"),
  structural("sqli.operator-context", "standard", "SQL comparison keywords between SQL operands ( ) LIKE ( …)"),
  structural("sqli.alias-from", "standard", "Literal AS alias FROM … (column list fragments)"),
  structural("sqli.declare-variable", "standard", "DECLARE @var / SET @var = …"),
  structural("sqli.ddl-statement", "standard", "CREATE/DROP/ALTER TABLE, INSERT INTO … VALUES, DELETE FROM … WHERE, UPDATE … SET …"),
  {
    id: "sqli.nosql-operator",
    family: "sqli",
    level: "standard",
    description: "MongoDB query operators injected as parameter names ([$ne]), JSON keys ($where) or JSON text in values",
    targets: K_INPUT,
    needs: C.DOLLAR,
    test(s) {
      const k = s.target.kind;
      if (k & (K.ARG_NAME | K.COOKIE_NAME)) {
        const h = reHit(NOSQL_OPERATOR_NAME, s.lower);
        if (h) return h;
        if (s.target.part === "json-pointer" && NOSQL_OPERATOR_KEY.test(s.lower)) return [0, s.lower.length];
        return null;
      }
      return reHit(NOSQL_IN_VALUE, s.lower) ?? (s.target.part !== "json-pointer" ? reHit(NOSQL_OPERATOR_NAME, s.lower) : null);
    },
  },
  {
    id: "sqli.keyword-chain",
    family: "sqli",
    level: "strict",
    description: "UNION … SELECT … FROM within 100 characters even without word boundaries",
    targets: K_INPUT,
    needs: 0,
    test: (s) => reHit(/union.{0,100}?select.{0,100}?from/, s.lower),
  },
];
