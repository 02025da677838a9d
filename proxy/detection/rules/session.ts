// Session fixation: planting a session id through the URL or a script that
// writes a cookie.
import { C, K, K_INPUT, reHit, type Rule } from "../subject.js";

const COOKIE_WRITE = /\.[\s]*cookie\b[^\n]{0,100}?(?:expires|domain|path|max-age)[\s]*=|document[\s]*\.[\s]*cookie[\s]*=|http-equiv[\s]*=[\s'"]*set-cookie/;
const SESSION_PARAM =
  /^(?:jsessionid|phpsessid|phpsession|aspsessionid[a-z]{0,12}|asp\.net_sessionid|cfid|cftoken|cfsid|jservsession|jwsession|weblogicsession|sessionid_)$/;

export const SESSION_RULES: Rule[] = [
  {
    id: "session.cookie-write",
    family: "session",
    level: "standard",
    description: "Script that sets a cookie (document.cookie=…, .cookie;expires=, <meta http-equiv=set-cookie>)",
    targets: K_INPUT | K.PATH,
    needs: C.EQ,
    test: (s) => reHit(COOKIE_WRITE, s.lower),
  },
  {
    id: "session.fixation-parameter",
    family: "session",
    level: "standard",
    description: "A platform session id (JSESSIONID, PHPSESSID, ASPSESSIONID…) passed as a request parameter",
    targets: K.ARG_NAME,
    needs: 0,
    test: (s) => {
      const l = s.lower;
      if (l.length < 4 || l.length > 40) return null;
      return SESSION_PARAM.test(l.trim()) ? [0, l.length] : null;
    },
  },
];
