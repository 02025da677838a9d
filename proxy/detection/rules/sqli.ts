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

const enum OperandKind {
  None = 0,
  Literal,
  Ident,
  Call,
  Group,
}

/** Parses one operand at sig[i]; returns [index after it, kind]. */
function operand(sig: SqlToken[], i: number): [number, OperandKind] {
  let t = sig[i];
  let steps = 0;
  while (t && t.t === Tk.Op && (t.v === "-" || t.v === "+" || t.v === "~" || t.v === "!") && steps++ < 4) t = sig[++i];
  if (!t) return [-1, OperandKind.None];
  let kind: OperandKind;
  if (t.t === Tk.Str || t.t === Tk.Num || t.t === Tk.Var || (t.t === Tk.Kw && (t.v === "null" || t.v === "true" || t.v === "false"))) {
    kind = t.t === Tk.Var ? OperandKind.Ident : OperandKind.Literal;
    i++;
  } else if (t.t === Tk.Word) {
    kind = OperandKind.Ident;
    i++;
    while (sig[i]?.t === Tk.Dot && (sig[i + 1]?.t === Tk.Word || sig[i + 1]?.t === Tk.Str)) i += 2;
  } else if (t.t === Tk.Fn || t.t === Tk.LPar) {
    kind = t.t === Tk.Fn ? OperandKind.Call : OperandKind.Group;
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
  } else return [-1, OperandKind.None];
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
let lastKinds: [OperandKind, OperandKind] = [OperandKind.None, OperandKind.None];

/** operand CMP operand at sig[i]; returns end index or -1. Both operands bare identifiers (English "cats like dogs") do not count. */
function comparison(sig: SqlToken[], i: number, allowOpenEnd: boolean): number {
  const [a, ka] = operand(sig, i);
  if (a < 0 || !isCmp(sig[a])) return -1;
  let c = a + 1;
  // "is not null", "not like", "sounds like"
  while (sig[c] && (sig[c]!.v === "not" || sig[c]!.v === "like") && c < a + 3) c++;
  if (c >= sig.length) return allowOpenEnd && ka !== OperandKind.Ident ? c : -1;
  const [b, kb] = operand(sig, c);
  if (b < 0) return -1;
  if (ka === OperandKind.Ident && kb === OperandKind.Ident) return -1;
  if (sig[a]!.v === "?" && (ka !== OperandKind.Literal || kb !== OperandKind.Literal)) return -1;
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

/** One quote context's token stream plus what the checks below share. */
interface Analysis extends Ctx {
  out: Findings;
  /** A comment anywhere: SQL context strong enough to count identifier comparisons. */
  hasComment: boolean;
  /** A ";" anywhere: same reason (a stacked statement). */
  hasSemi: boolean;
}

function report(a: Analysis, id: string, hit: Hit): void {
  putOnce(a.out, id, hit);
}

/**
 * Runs every injection shape over one quote context. The value is either
 * read as bare SQL (quoted = false) or as the tail of a string literal the
 * application opened (quoted = true: sig[0] is that string and everything
 * after it is what the attacker injected).
 */
function analyseContext(ctx: Ctx, out: Findings): void {
  const a: Analysis = {
    ...ctx,
    out,
    hasComment: ctx.toks.some((x) => x.t === Tk.Comment),
    hasSemi: ctx.sig.some((x) => x.t === Tk.Semi),
  };
  reportExecutableComments(a);
  if (a.quoted) analyseAfterClosingQuote(a);
  else reportLeadingStringCompare(a);
  scanSignificantTokens(a, a.quoted ? 1 : 0);
}

/** MySQL /*! … *\/ and /*+ … *\/ comments run as code: filters that strip comments miss what they hide. */
function reportExecutableComments(a: Analysis): void {
  for (const tok of a.toks) if (tok.t === Tk.Comment && tok.flag) report(a, "sqli.mysql-comment", [tok.start, tok.end]);
}

/** Unquoted context: a value that starts with a string literal compared with something ('a'='a, '{…}' < '$.a'). */
function reportLeadingStringCompare(a: Analysis): void {
  const { sig } = a;
  if (sig[0]?.t === Tk.Str && sig[0].start === 0 && sig[1] && isCmp(sig[1]) && sig[1].v !== "?") {
    if (comparison(sig, 0, false) > 0) report(a, "sqli.string-compare", hitOf(sig, 0, 2));
  }
}

/**
 * Quoted context: the application's string literal (sig[0]) was closed by
 * the value. Only a literal that really closed counts — an unterminated one
 * means the value never left the string.
 */
function analyseAfterClosingQuote(a: Analysis): void {
  const { sig } = a;
  const literal = sig[0];
  if (!literal || literal.flag) return;
  reportCommentTermination(a);
  // the injected SQL may first close the application's parentheses and statement: ') ;
  let k = 1;
  while (sig[k] && (sig[k]!.t === Tk.RPar || sig[k]!.t === Tk.Semi)) k++;
  if (sig[k]) {
    reportSqlAfterQuote(a, k);
    if (sig[k]!.t === Tk.Logic) reportLogicAfterQuote(a, k);
  }
  // 'x' = 'x   ' <@ '{..}'
  // "… for "is-a" relationships": IS compares only with NULL, TRUE/FALSE/UNKNOWN, NOT …, DISTINCT FROM or a literal
  const isOperand = sig[1]?.v !== "is" || sig[2] === undefined || sig[2].t === Tk.Str || sig[2].t === Tk.Num || IS_OPERANDS.has(sig[2].v);
  if (sig[1] && isCmp(sig[1]) && sig[1].v !== "?" && isOperand && comparison(sig, 0, false) > 0 && literal.v.length > 0)
    report(a, "sqli.string-compare", hitOf(sig, 0, 2));
}

const IS_OPERANDS = new Set(["null", "not", "true", "false", "unknown", "distinct"]);

/** admin'--  admin')#  : after the closing quote only comments (and parentheses) remain, so the rest of the query is cut off. */
function reportCommentTermination(a: Analysis): void {
  const { toks, sig } = a;
  const rest = toks.slice(1);
  if (rest.length > 0 && rest.some((x) => x.t === Tk.Comment) && rest.every((x) => x.t === Tk.Comment || x.t === Tk.RPar) && sig[0]!.v.length > 0) {
    report(a, "sqli.comment-termination", [sig[0]!.end - 1, toks[toks.length - 1]!.end]);
  }
}

/** Clause keywords that may directly follow a broken-out quote, each with what must come after it to be SQL. */
function clauseContinuesSql(sig: SqlToken[], k: number): boolean {
  const keyword = sig[k]!.v;
  const following = sig[k + 1];
  if (keyword === "order" || keyword === "group") return following?.v === "by";
  // "the 'Where to buy' page": WHERE/HAVING must be followed by a condition, not by words
  if ((keyword === "where" || keyword === "having") && following?.t === Tk.Word) return comparison(sig, k + 1, true) > 0;
  return (
    following === undefined || following.t === Tk.Word || following.t === Tk.Str || following.t === Tk.Num || following.t === Tk.LPar || following.t === Tk.Fn
  );
}
const CLAUSES_AFTER_QUOTE = new Set(["from", "where", "having", "into", "procedure", "limit", "order", "group"]);

/** A LIKE pattern after a broken-out quote that is SQL rather than prose ("it's like 'x'" has no % or number). */
function isSqlLikeOperand(f: SqlToken | undefined): boolean {
  return f !== undefined && (f.t === Tk.Num || f.t === Tk.LPar || f.t === Tk.Fn || (f.t === Tk.Str && (!f.flag || f.v.startsWith("%") || f.v.startsWith("_"))));
}

/** What directly follows the closing quote (sig[k]) and makes it a break-out: a statement, REGEXP/LIKE, a clause keyword, AS … FROM. */
function reportSqlAfterQuote(a: Analysis, k: number): void {
  const { sig } = a;
  const next = sig[k]!;
  const after = sig[k + 1];
  // the keyword itself in quotes ("the 'update' button") is prose, not injection
  const quotedWord = after !== undefined && after.t === Tk.Str && after.start === next.end;
  const breakHit = hitOf(sig, k - 1, k + 1);
  if (!quotedWord && after !== undefined && next.t === Tk.Stmt && statementLooksSql(sig, k)) {
    report(a, "sqli.quote-break", breakHit);
  } else if (next.t === Tk.Cmp && (next.v === "regexp" || next.v === "rlike")) {
    report(a, "sqli.quote-break", breakHit);
  } else if (next.t === Tk.Cmp && next.v === "like") {
    if (isSqlLikeOperand(after)) report(a, "sqli.quote-break", breakHit);
  } else if (next.t === Tk.Kw && CLAUSES_AFTER_QUOTE.has(next.v)) {
    if (clauseContinuesSql(sig, k)) report(a, "sqli.quote-break", breakHit);
  } else if (next.t === Tk.Kw && next.v === "as" && (after?.t === Tk.Str || after?.t === Tk.Word) && sig[k + 2]?.v === "from") {
    report(a, "sqli.alias-from", hitOf(sig, k, k + 2));
  }
}

/** ' or 1--   ' or true#   ' and sleep(5): a boolean operator right after the quote, with a constant or a call. */
function reportLogicAfterQuote(a: Analysis, k: number): void {
  const { sig, toks } = a;
  const op = sig[k + 1];
  if (!op) return;
  const [e] = operand(sig, k + 1);
  const constant = op.t === Tk.Num || (op.t === Tk.Kw && (op.v === "true" || op.v === "false"));
  // the constant must end the expression and a comment must cut off the rest of the application's query
  const endsExpression = e === sig.length || sig[e]?.t === Tk.RPar || sig[e]?.t === Tk.Semi;
  if (constant && endsExpression && toks.some((x) => x.t === Tk.Comment && x.start > op.start)) report(a, "sqli.tautology", hitOf(sig, k, k + 1));
  if (op.t === Tk.Fn) report(a, "sqli.quote-break", hitOf(sig, k, k + 1));
}

/** The main pass: every token is looked at once and dispatched to the shape that can start with it. */
function scanSignificantTokens(a: Analysis, start: number): void {
  const { sig } = a;
  // a comparison before a boolean operator ("5 > 3 and 2 < 4") is a chain of comparisons: arithmetic prose
  let cmpSeen = false;
  for (let i = start; i < sig.length; i++) {
    const tok = sig[i]!;
    if (i > start && sig[i - 1]!.t === Tk.Cmp) cmpSeen = true;
    switch (tok.t) {
      case Tk.Union:
        reportUnionSelect(a, i);
        break;
      case Tk.Logic:
      case Tk.Kw:
        if (tok.t === Tk.Kw && tok.v !== "where" && tok.v !== "having") reportKeywordShapes(a, i);
        else if (!(tok.t === Tk.Logic && tok.v === "not")) reportBooleanComparison(a, i, cmpSeen);
        break;
      case Tk.Stmt:
        reportStatement(a, i);
        break;
      case Tk.Fn:
        reportFunctionCall(a, i);
        break;
      case Tk.Word:
        reportCatalogWord(a, i);
        break;
      case Tk.RPar:
        reportOperatorAfterGroup(a, i);
        break;
      case Tk.Str:
      case Tk.Num:
        reportLiteralShapes(a, i);
        break;
      default:
        reportPostfixCast(a, i);
    }
  }
}

/** Whether the select list after UNION SELECT (sig[j] = select) looks like SQL; "union select committee" is prose. */
function unionSelectListLooksSql(a: Analysis, j: number): boolean {
  const { sig, toks } = a;
  const first = sig[j + 1];
  const second = sig[j + 2];
  if (first === undefined) return toks.some((x) => x.t === Tk.Comment && x.start > sig[j]!.end);
  if (first.t !== Tk.Word || second === undefined) return first.t !== Tk.Word || toks.some((x) => x.t === Tk.Comment && x.start > first.end);
  return (
    second.t === Tk.Comma ||
    second.v === "from" ||
    second.t === Tk.Op ||
    second.t === Tk.Union ||
    second.t === Tk.RPar ||
    second.t === Tk.Semi ||
    second.t === Tk.Dot ||
    second.v === "as" ||
    second.v === "into"
  );
}

/** UNION [ALL|DISTINCT] [(] SELECT with a SQL-shaped select list, or after a literal/parenthesis/value start. */
function reportUnionSelect(a: Analysis, i: number): void {
  const { sig } = a;
  let j = i + 1;
  while (sig[j] && (sig[j]!.v === "all" || sig[j]!.v === "distinct" || sig[j]!.v === "distinctrow" || sig[j]!.t === Tk.LPar)) j++;
  if (sig[j]?.t !== Tk.Stmt || sig[j]!.v !== "select") return;
  // "-1 UNION SELECT x", "' UNION SELECT": UNION after a literal, a parenthesis or the value start
  const prev = sig[i - 1];
  const afterSql = prev !== undefined && prev.t !== Tk.Word && prev.t !== Tk.Kw;
  if (unionSelectListLooksSql(a, j) || afterSql || sig[j + 1] === undefined) report(a, "sqli.union-select", hitOf(sig, i, j));
}

/** Keyword-led shapes other than WHERE/HAVING: INTO OUTFILE, CASE WHEN, GROUP BY … HAVING, PROCEDURE ANALYSE, SET @v =, AS … FROM, DDL. */
function reportKeywordShapes(a: Analysis, i: number): void {
  const { sig } = a;
  const n = sig.length;
  const tok = sig[i]!;
  const nx = sig[i + 1];
  if (tok.v === "into" && nx && (nx.v === "outfile" || nx.v === "dumpfile")) report(a, "sqli.into-outfile", hitOf(sig, i, i + 1));
  if (tok.v === "case" && nx?.v === "when") {
    for (let j = i + 2; j < Math.min(n, i + 40); j++)
      if (sig[j]!.v === "then") {
        report(a, "sqli.case-when", hitOf(sig, i, j));
        break;
      }
  }
  if (tok.v === "group" && nx?.v === "by") {
    for (let j = i + 2; j < Math.min(n, i + 40); j++)
      if (sig[j]!.v === "having" && comparison(sig, j + 1, false) > 0) {
        report(a, "sqli.boolean-clause", hitOf(sig, i, j + 2));
        break;
      }
  }
  if (tok.v === "procedure" && nx && (nx.v === "analyse" || nx.v === "analyze")) report(a, "sqli.dangerous-function", hitOf(sig, i, i + 1));
  if (tok.v === "set" && nx?.t === Tk.Var && nx.v.length > 1 && (sig[i + 2]?.v === "=" || sig[i + 2]?.v === ":="))
    report(a, "sqli.declare-variable", hitOf(sig, i, i + 2));
  if (tok.v === "as" && i > 0 && (sig[i - 1]!.t === Tk.Num || sig[i - 1]!.t === Tk.Str) && nx && (nx.t === Tk.Str || nx.t === Tk.Word)) {
    if (sig[i + 2]?.v === "from") report(a, "sqli.alias-from", hitOf(sig, i - 1, i + 2));
    else if (nx.t === Tk.Str && nx.flag && /^\s*from\b/.test(nx.v)) report(a, "sqli.alias-from", hitOf(sig, i - 1, i + 1));
  }
  if (
    DDL_OBJECTS.has(tok.v) &&
    i > 0 &&
    sig[i - 1]!.t === Tk.Stmt &&
    DDL_VERBS.has(sig[i - 1]!.v) &&
    (nx?.v === "if" || ((nx?.t === Tk.Word || nx?.t === Tk.Str) && ddlNameEndsStatement(sig, i + 1)))
  )
    report(a, "sqli.ddl-statement", hitOf(sig, i - 1, i + 1));
}
const DDL_VERBS = new Set(["create", "drop", "alter", "truncate"]);
/** Words that may follow the object name of CREATE/DROP/ALTER/TRUNCATE <object> <name>. */
const DDL_NAME_FOLLOWERS = new Set([
  "as",
  "cascade",
  "restrict",
  "add",
  "drop",
  "modify",
  "alter",
  "rename",
  "set",
  "like",
  "select",
  "identified",
  "with",
  "to",
  "on",
  "from",
  "change",
  "engine",
  "default",
  "owner",
  "purge",
  "character",
  "charset",
  "using",
  "is",
]);

/**
 * "drop table users--", "create table t (…)", "alter table t add …": the
 * object name (possibly dotted) ends the statement or is followed by DDL
 * syntax. "drop table tennis after lunch", "create table reservations for 4"
 * continue in English.
 */
function ddlNameEndsStatement(sig: SqlToken[], nameAt: number): boolean {
  let j = nameAt + 1;
  while (sig[j]?.t === Tk.Dot && sig[j + 1] !== undefined) j += 2;
  const f = sig[j];
  return (
    f === undefined ||
    f.t === Tk.LPar ||
    f.t === Tk.Semi ||
    f.t === Tk.Comma ||
    f.t === Tk.RPar ||
    f.t === Tk.Stmt ||
    f.t === Tk.Logic ||
    DDL_NAME_FOLLOWERS.has(f.v)
  );
}

/**
 * AND/OR/XOR or WHERE/HAVING followed by a comparison. Prose compares too
 * ("x > 5 or y < 3"), so an identifier compared with a literal counts only
 * in a strong SQL context: after a broken-out quote, with a comment or ";",
 * or with "=", LIKE, "!=" or "<>" after a leading literal. JSON operators
 * (?|, @>, #>…) never occur in prose and always count.
 */
function reportBooleanComparison(a: Analysis, i: number, cmpSeen: boolean): void {
  const { sig, quoted, hasComment, hasSemi } = a;
  const tok = sig[i]!;
  // OR NOT 8037=3636: a negated comparison is a comparison all the same
  const from = tok.t === Tk.Logic && sig[i + 1]?.v === "not" ? i + 2 : i + 1;
  const e = comparison(sig, from, false);
  if (e <= 0) {
    if (tok.t === Tk.Logic) reportSelfComparison(a, i, from);
    return;
  }
  const op = sig[operand(sig, from)[0]]?.v ?? "";
  const identCmp = (lastKinds[0] === OperandKind.Ident || lastKinds[1] === OperandKind.Ident) && !JSON_OPS.has(op);
  const first = sig[0]!;
  const leadingLiteral = first.t === Tk.Num || first.t === Tk.Str || first.t === Tk.RPar;
  const strongCtx = quoted || hasComment || hasSemi || ((op === "=" || op === "like" || op === "!=" || op === "<>") && leadingLiteral);
  const chain = tok.t === Tk.Logic && cmpSeen && !quoted && !hasComment && !hasSemi;
  if ((!identCmp || strongCtx) && !chain) report(a, tok.t === Tk.Logic ? "sqli.tautology" : "sqli.boolean-clause", hitOf(sig, i, e - 1));
}

/**
 * OR a=a--, AND USER=USER: a word compared with itself is true whatever the
 * row holds — the one identifier-to-identifier comparison that is a
 * tautology. It must end the expression (end, comment, ")", ";" or another
 * boolean operator); prose does not write "and x=x".
 */
function reportSelfComparison(a: Analysis, i: number, from: number): void {
  const { sig } = a;
  const l = sig[from];
  const op = sig[from + 1];
  const r = sig[from + 2];
  // a column or a keyword-named one (USER=USER); NULL=NULL is not true and literals are the tautology rule's own case
  const named = (t: SqlToken | undefined): boolean =>
    t !== undefined && (t.t === Tk.Word || (t.t === Tk.Kw && t.v !== "null" && t.v !== "true" && t.v !== "false"));
  if (!named(l) || r?.t !== l!.t || l!.v !== r.v || op?.t !== Tk.Cmp || (op.v !== "=" && op.v !== "like")) return;
  const f = sig[from + 3];
  if (f === undefined || f.t === Tk.RPar || f.t === Tk.Semi || f.t === Tk.Logic) report(a, "sqli.tautology", hitOf(sig, i, from + 2));
}

/** Statement keywords: each needs the arguments its statement takes ("exec summary" is prose), plus the stacked-query check. */
function reportStatement(a: Analysis, i: number): void {
  const { sig, quoted } = a;
  const v = sig[i]!.v;
  const nx = sig[i + 1];
  if (v === "select") reportSelect(a, i);
  else if (v === "waitfor") {
    if (nx && (nx.v === "delay" || nx.v === "time") && sig[i + 2]?.t === Tk.Str) report(a, "sqli.time-function", hitOf(sig, i, i + 2));
  } else if (v === "exec" || v === "execute") {
    if (isProcedureCall(sig, i)) report(a, "sqli.mssql-exec", hitOf(sig, i, i + 1));
  } else if (v === "declare") {
    if (nx?.t === Tk.Var && nx.v.length > 1) report(a, "sqli.declare-variable", hitOf(sig, i, i + 1));
  } else if (v === "insert" || v === "replace") {
    const target = sig[i + 2];
    if (
      nx?.v === "into" &&
      (target?.t === Tk.Word || target?.t === Tk.Str || target?.t === Tk.Fn) &&
      (sig[i + 3]?.v === "values" || sig[i + 3]?.t === Tk.LPar || sig[i + 3]?.v === "select" || target?.t === Tk.Fn)
    )
      report(a, "sqli.ddl-statement", hitOf(sig, i, i + 3));
  } else if (v === "delete") {
    const tail = sig[i + 3];
    // a bare "delete from x" ending the value is an attack only when it broke out of a string
    if (nx?.v === "from" && (sig[i + 2]?.t === Tk.Word || sig[i + 2]?.t === Tk.Str) && (tail === undefined ? quoted : tail.v === "where" || tail.t === Tk.Semi))
      report(a, "sqli.ddl-statement", hitOf(sig, i, i + 2));
  } else if (v === "update") {
    if ((nx?.t === Tk.Word || nx?.t === Tk.Str) && sig[i + 2]?.v === "set" && comparison(sig, i + 3, false) > 0)
      report(a, "sqli.ddl-statement", hitOf(sig, i, i + 3));
  } else if (v === "shutdown") {
    if (i > 0 && sig[i - 1]!.t === Tk.Semi) report(a, "sqli.stacked-query", hitOf(sig, i - 1, i));
  }
  reportStackedQuery(a, i);
}

/** EXEC xp_…/sp_…/master…, EXEC @var, EXEC('…'), EXEC(@q): an extended procedure or dynamic SQL. */
function isProcedureCall(sig: SqlToken[], i: number): boolean {
  const nx = sig[i + 1];
  // cursor.execute('SELECT …') is a method call in application code quoted in a post, not T-SQL
  if (i > 0 && sig[i - 1]!.t === Tk.Dot) return false;
  return (
    nx !== undefined &&
    ((nx.t === Tk.Word && /^(?:xp_|sp_|master\b|dbo\b)/.test(nx.v)) ||
      nx.t === Tk.Var ||
      (nx.t === Tk.LPar && (sig[i + 2]?.t === Tk.Var || sig[i + 2]?.t === Tk.Str)) ||
      (nx.t === Tk.Fn && /^(?:xp_|sp_)/.test(nx.v)))
  );
}

/** Statements that are also ordinary words after a ";" in prose ("load; replace it"): never a stacked query on their own. */
const NOT_STACKABLE = new Set(["load", "handler", "rename", "replace", "merge"]);
const STACKED_FIRST_WORDS = new Set(["into", "from", "table", "database", "master", "xp_cmdshell"]);

/** "; <statement> <SQL-shaped argument>" — or any statement right after a broken-out quote ('; select). */
function reportStackedQuery(a: Analysis, i: number): void {
  const { sig, quoted } = a;
  const v = sig[i]!.v;
  if (i === 0 || sig[i - 1]!.t !== Tk.Semi || NOT_STACKABLE.has(v)) return;
  const f = sig[i + 1];
  // "; CALL proc(…)": a stored-procedure call whose argument list is SQL — a call, number, string, @var or NULL ("; call us(maybe)" is prose)
  if (v === "call") {
    const arg = sig[i + 3];
    if (f?.t === Tk.Fn && sig[i + 2]?.t === Tk.LPar && arg && (arg.t === Tk.Fn || arg.t === Tk.Num || arg.t === Tk.Str || arg.t === Tk.Var || arg.v === "null"))
      report(a, "sqli.stacked-query", hitOf(sig, i - 1, i + 1));
    return;
  }
  const strong =
    (quoted && i - 1 <= 2) ||
    (f &&
      (f.t === Tk.Num ||
        f.t === Tk.Fn ||
        f.t === Tk.Var ||
        f.v === "*" ||
        f.t === Tk.LPar ||
        f.t === Tk.Str ||
        STACKED_FIRST_WORDS.has(f.v) ||
        /^(?:xp_|sp_)/.test(f.v)));
  // "; drop table tennis after": a DDL statement must also end like one
  const prose =
    DDL_VERBS.has(v) && f !== undefined && DDL_OBJECTS.has(f.v) && (sig[i + 2]?.t === Tk.Word || sig[i + 2]?.t === Tk.Str) && !ddlNameEndsStatement(sig, i + 2);
  if (strong && !prose) report(a, "sqli.stacked-query", hitOf(sig, i - 1, i + 1));
}

/** SELECT followed directly by an expression no sentence has: a call, @var, (select, * then FROM, a number list, a quoted literal list. */
function selectStartsExpression(sig: SqlToken[], i: number): boolean {
  const nx = sig[i + 1];
  const after = sig[i + 2];
  if (!nx) return false;
  if (nx.t === Tk.Fn || nx.t === Tk.Var) return true;
  if (nx.t === Tk.LPar) return after?.v === "select";
  if (nx.v === "*") return after === undefined || after.v === "from" || after.t === Tk.Comma;
  if (nx.t === Tk.Num)
    return (
      after === undefined ||
      after.t === Tk.Comma ||
      after.v === "from" ||
      after.t === Tk.Union ||
      after.t === Tk.Semi ||
      after.t === Tk.RPar ||
      after.t === Tk.Op
    );
  if (nx.t === Tk.Str && nx.q !== 96 && !nx.flag && selectLiteralLooksSql(sig, i)) return true;
  return nx.v === "pg_sleep" || nx.v === "distinct" || nx.v === "top";
}

/**
 * SELECT 'a', … / SELECT 'a' FROM t [WHERE…] / SELECT 'a' ending the value.
 * "select 'all categories' -- it sorts" and "select \"all\" from the drop-down"
 * are prose: a phrase with blanks ending the value, or FROM followed by more words.
 */
function selectLiteralLooksSql(sig: SqlToken[], i: number): boolean {
  const literal = sig[i + 1]!;
  const after = sig[i + 2];
  if (after === undefined) return literal.v.indexOf(" ") < 0;
  if (after.t === Tk.Comma) return true;
  if (after.v !== "from") return false;
  const table = sig[i + 3];
  const tail = sig[i + 4];
  return (
    table !== undefined &&
    (table.t === Tk.Word || table.t === Tk.Str) &&
    (tail === undefined || tail.t === Tk.Semi || tail.t === Tk.Union || tail.t === Tk.RPar || tail.t === Tk.Comma || SELECT_TAIL.has(tail.v))
  );
}
const SELECT_TAIL = new Set(["where", "limit", "order", "group", "having", "into", "join", "union", "procedure"]);

/** SELECT <expression>, or SELECT <list> FROM <table> with a clause that makes it a query rather than a sentence. */
function reportSelect(a: Analysis, i: number): void {
  const { sig } = a;
  const n = sig.length;
  if (selectStartsExpression(sig, i)) {
    report(a, "sqli.select-expression", hitOf(sig, i, i + 1));
    return;
  }
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
  if (from < 0) return;
  for (let j = from + 1; j < Math.min(n, from + 30) && !sqlish; j++) {
    const u = sig[j]!;
    if ((u.v === "where" || u.v === "having") && comparison(sig, j + 1, true) > 0) sqlish = true;
    else if ((u.v === "group" || u.v === "order") && sig[j + 1]?.v === "by") sqlish = true;
    else if (u.v === "limit" && sig[j + 1]?.t === Tk.Num) sqlish = true;
  }
  if (sqlish) report(a, "sqli.select-statement", hitOf(sig, i, from));
}

/** Index of the ")" closing the call at sig[i] (sig[i + 1] is its "("), or -1 when the value ends first. */
function closingParen(sig: SqlToken[], i: number): number {
  let depth = 0;
  for (let j = i + 1; j < sig.length; j++) {
    const tt = sig[j]!.t;
    if (tt === Tk.LPar) depth++;
    else if (tt === Tk.RPar && --depth === 0) return j;
  }
  return -1;
}

/**
 * SLEEP(5) but not "sleep(well) tonight": arguments must not read as words,
 * must start with something other than a word and must be closed somewhere.
 */
function isTimeCall(sig: SqlToken[], i: number, close: number): boolean {
  const argFirst = sig[i + 2];
  let wordy = false;
  let anyClose = close > 0;
  for (let k = i + 2; k < (close > 0 ? close : sig.length); k++) {
    const x = sig[k]!;
    const y = sig[k + 1];
    if ((x.t === Tk.Word || x.t === Tk.Num) && y && y.t === Tk.Word) wordy = true;
    if (x.t === Tk.RPar) anyClose = true;
  }
  if (!anyClose) anyClose = sig.slice(i + 2).some((x) => x.t === Tk.RPar);
  return !wordy && anyClose && argFirst !== undefined && argFirst.t !== Tk.Word;
}

/** Function-call shapes: time delays, dangerous and fingerprinting functions, conditionals whose first argument is a comparison. */
function reportFunctionCall(a: Analysis, i: number): void {
  const { sig } = a;
  const name = sig[i]!.v;
  const close = closingParen(sig, i);
  const argFirst = sig[i + 2];
  if (TIME_FUNCTIONS.has(name) && isTimeCall(sig, i, close)) report(a, "sqli.time-function", hitOf(sig, i, i + 2));
  // exp, elt, polygon and linestring are also ordinary words: they need a non-word argument
  if (DANGEROUS_FUNCTIONS.has(name) && (!AMBIGUOUS_DANGEROUS.has(name) || (argFirst && argFirst.t !== Tk.Word)))
    report(a, "sqli.dangerous-function", hitOf(sig, i, i + 1));
  // div(1, 0)-style error-based extraction
  if (name === "div" && argFirst && (argFirst.t === Tk.Num || argFirst.v === "-") && close > 0) report(a, "sqli.dangerous-function", hitOf(sig, i, close));
  if (INFO_FUNCTIONS.has(name) && isInfoCallInSql(sig, i)) report(a, "sqli.info-function", hitOf(sig, i, i + 1));
  if (CONDITIONAL_FUNCTIONS.has(name) && sig[i + 1]?.t === Tk.LPar) {
    const e = comparison(sig, i + 2, true);
    if (e > 0) report(a, "sqli.conditional-function", hitOf(sig, i, Math.min(e, sig.length - 1)));
  }
}
const AMBIGUOUS_DANGEROUS = new Set(["exp", "elt", "polygon", "linestring"]);

/** USER(), VERSION()…: called empty, or inside SQL (after a statement, UNION, comma, comparison, boolean or another call's "("). */
function isInfoCallInSql(sig: SqlToken[], i: number): boolean {
  const argFirst = sig[i + 2];
  if (argFirst === undefined || argFirst.t === Tk.RPar) return true;
  const prev = sig[i - 1];
  return (
    prev !== undefined &&
    (prev.t === Tk.Stmt ||
      prev.t === Tk.Union ||
      prev.t === Tk.Comma ||
      prev.t === Tk.Cmp ||
      prev.t === Tk.Logic ||
      (prev.t === Tk.LPar && sig[i - 2]?.t === Tk.Fn))
  );
}

/** information_schema, pg_catalog, mysql.user, master..sysdatabases: DBMS catalogs. */
function reportCatalogWord(a: Analysis, i: number): void {
  const { sig } = a;
  const tok = sig[i]!;
  const nx = sig[i + 1];
  if (CATALOG_WORDS.has(tok.v)) report(a, "sqli.catalog-reference", [tok.start, tok.end]);
  else if ((tok.v === "mysql" || tok.v === "sys" || tok.v === "master") && nx?.t === Tk.Dot && sig[i + 2] && CATALOG_WORDS.has(`${tok.v}.${sig[i + 2]!.v}`))
    report(a, "sqli.catalog-reference", hitOf(sig, i, i + 2));
  else if (tok.v === "master" && nx?.t === Tk.Dot && sig[i + 2]?.t === Tk.Dot) report(a, "sqli.catalog-reference", hitOf(sig, i, i + 3));
}

/** ") LIKE (", ") IN ('…": a comparison keyword between a closed group and a SQL operand. */
function reportOperatorAfterGroup(a: Analysis, i: number): void {
  const { sig } = a;
  const nx = sig[i + 1];
  if (nx && nx.t === Tk.Cmp && /^(?:like|rlike|regexp|between|in|sounds|glob)$/.test(nx.v)) {
    const f = sig[i + 2];
    if (f && (f.t === Tk.LPar || f.t === Tk.Str || f.t === Tk.Num || f.t === Tk.Fn)) report(a, "sqli.operator-context", hitOf(sig, i, i + 2));
  }
}

/** Literal-led shapes: `catalog` in backticks, '…'::type casts, JSON operators between literals. */
function reportLiteralShapes(a: Analysis, i: number): void {
  const { sig } = a;
  const tok = sig[i]!;
  const nx = sig[i + 1];
  if (tok.t === Tk.Str && tok.q === 96 && CATALOG_WORDS.has(tok.v)) report(a, "sqli.catalog-reference", [tok.start, tok.end]);
  if (nx && nx.v === "::" && sig[i + 2] && SQL_TYPES.has(sig[i + 2]!.v)) report(a, "sqli.pg-cast", hitOf(sig, i, i + 2));
  if (tok.t === Tk.Str && nx && nx.t === Tk.Cmp && JSON_OPS.has(nx.v) && nx.v !== "?") {
    const f = sig[i + 2];
    if (f && (f.t === Tk.Str || f.t === Tk.Num)) report(a, "sqli.json-operator", hitOf(sig, i, i + 2));
  }
}

/** x::int, (…)::text — but "std::string" style C++ names are followed by a word ("::string name"), hence the check after the type. */
function reportPostfixCast(a: Analysis, i: number): void {
  const { sig } = a;
  if (sig[i]!.v !== "::" || i === 0 || (sig[i - 1]!.t !== Tk.Word && sig[i - 1]!.t !== Tk.RPar) || !sig[i + 1] || !SQL_TYPES.has(sig[i + 1]!.v)) return;
  const after = sig[i + 2];
  if (after === undefined || after.t !== Tk.Word || after.v === "precision") report(a, "sqli.pg-cast", hitOf(sig, i - 1, i + 1));
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
/** The clause opening the value itself (the injection point is after ORDER BY / in a sub-clause): order by 1-- needs the comment or ";". */
const LEADING_ORDER_BY_PROBE = /^[\s]*(?:order|group)[\s]+by[\s]+\d{1,3}(?:[\s]*,[\s]*\d{1,3}){0,30}[\s]*(?:--|#|\/\*|;|\x00)/;
/**
 * A value that closes the application's string (a quote, then optional
 * parentheses and ;) and then only a comment: admin'--, x");--, ' '/*, bob';#.
 */
const QUOTE_TERMINATOR = /['"`][\s]*\){0,4}[\s]*;?[\s]*(?:--[\s+-]{0,6}|#[\s]{0,4}|\/\*[^*]{0,40}|;\x00|\x00)$/;
/**
 * A value that opens with a quote and goes straight into a comment that runs
 * to its end, the quote never closed: '#mysql, ')-- x, "; -- . A quoted
 * title that starts with "#1" or "--" closes its quote, so it does not count.
 */
const LEADING_QUOTE_COMMENT = /^[\s]*(['"`])[\s]*\){0,4}[\s]*;?[\s]*(?:--|#)[^'"`\n]{0,80}$/;
/** A quote broken out into || concatenation with an expression: '||(select …)||', "||pg_sleep(5)||", 1'||'1. */
const PIPE_CONCAT =
  /['"][\s]*\|\|[\s]*(?:\(|['"]|[a-z_][a-z0-9_.]{0,40}[\s]*\(|select\b|[a-z_][a-z0-9_$#]{0,30}\.[a-z_][a-z0-9_$#]{0,30}\b)|\|\|[\s]*\([\s]*select\b/;

export const SQLI_RULES: Rule[] = [
  {
    id: "sqli.order-by-probe",
    family: "sqli",
    level: "standard",
    description:
      "Column-count probes: a short operand then ORDER BY / GROUP BY n[,n…] ending the value or followed by a comment (1' ORDER BY 5-- -, 1)/**/GROUP/**/BY/**/1,2,3#), or ORDER BY n opening the value and cut off by a comment (order by 1--)",
    targets: K_INPUT | K.PATH,
    needs: C.DIGIT,
    test: (s) =>
      s.lower.indexOf(" by") >= 0 || s.lower.indexOf("/by") >= 0 || s.lower.indexOf("\tby") >= 0 || s.lower.indexOf("\nby") >= 0
        ? (reHit(ORDER_BY_PROBE, sqlFlat(s)) ?? reHit(LEADING_ORDER_BY_PROBE, sqlFlat(s)))
        : null,
  },
  {
    id: "sqli.quote-terminator",
    family: "sqli",
    level: "standard",
    description:
      "A quote closing the application's string, optional ) and ;, then only a comment or NUL to the end of the value (admin'--, x\");--, ' '/*), or a value opening with a quote straight into a comment, the quote never closed ('#mysql)",
    targets: K_INPUT | K.PATH,
    needs: C_QUOTES,
    test: (s) => reHit(QUOTE_TERMINATOR, s.lower) ?? reHit(LEADING_QUOTE_COMMENT, s.lower),
  },
  {
    id: "sqli.pipe-concat",
    family: "sqli",
    level: "standard",
    description: "A quote broken out into || string concatenation with an expression ('||(SELECT …)||', '||pg_sleep(5)||', 1'||'1, '||UTL_HTTP.REQUEST)",
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
