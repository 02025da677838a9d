// Remote file inclusion: URLs in parameters shaped like an include payload.
import { C, K, reHit, type Rule } from "../subject.js";

const URL_WITH_IP = /^[\s]*(?:https?|ftps?|file):\/\/(?:[^/@\s]*@)?\d{1,3}(?:\.\d{1,3}){3}\b/;
const TRAILING_QUESTION = /^[\s]*(?:https?|ftps?):\/\/[^\s]{1,2000}?\?+$/;
const UNC_PATH = /^[\s]*(?:\\\\|\/\/)[a-z0-9][\w.-]{0,253}(?:@\d+)?\\[\w$.-]+/;
const REMOTE_SHARE = /^[\s]*(?:smb|webdav|ftps?|sftp):\/\//;
const SCRIPT_URL = /^[\s]*(?:https?|ftps?):\/\/[^\s?#]{1,2000}?\.(?:php\d?|phtml|inc|txt|sh|pl|py|cgi|jsp|aspx?|gif|jpe?g|png)(?:\?|%00|$)/;
const ANY_URL = /^[\s]*(?:https?|ftps?):\/\//;

const T = K.ARG_VALUE | K.COOKIE_VALUE;

export const RFI_RULES: Rule[] = [
  {
    id: "rfi.ip-url",
    family: "rfi",
    level: "standard",
    description: "A parameter that is a URL to a bare IP address",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(URL_WITH_IP, s.lower),
  },
  {
    id: "rfi.trailing-question",
    family: "rfi",
    level: "standard",
    description: 'A parameter URL ending in "?" to cut off the suffix the application appends',
    targets: T,
    needs: C.QMARK,
    test: (s) => reHit(TRAILING_QUESTION, s.lower),
  },
  {
    id: "rfi.remote-share",
    family: "rfi",
    level: "standard",
    description: "UNC paths and SMB/WebDAV/FTP URLs in parameters",
    targets: T,
    needs: C.BSLASH | C.COLON,
    test: (s) => reHit(UNC_PATH, s.lower) ?? reHit(REMOTE_SHARE, s.lower),
  },
  {
    id: "rfi.script-url",
    family: "rfi",
    level: "strict",
    description: "A parameter URL pointing to a script or text file",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(SCRIPT_URL, s.lower),
  },
  {
    id: "rfi.remote-url",
    family: "rfi",
    level: "strict",
    description: "Any absolute URL as a parameter value",
    targets: T,
    needs: C.COLON,
    test: (s) => reHit(ANY_URL, s.lower),
  },
];
