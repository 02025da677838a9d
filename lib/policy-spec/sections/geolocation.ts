// Geolocation blocking by ISO 3166-1 alpha-2 country code, as an allow list
// or a deny list (never both: their combination is ambiguous to a reader).

import { z } from "zod";
import { uniqueList } from "./policy-fields";

// Officially assigned ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which IP
// geolocation databases use although ISO has not assigned it.
const ISO_3166_ALPHA2 = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
  "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
  "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
  "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
  "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK"
).split(" ");
const COUNTRY_CODES = new Set(ISO_3166_ALPHA2);

/** Common non-ISO spellings people reach for. */
const COUNTRY_HINTS: Record<string, string> = { UK: "GB", EL: "GR" };

export const countryCodeSchema = z.string().superRefine((value, ctx) => {
  if (COUNTRY_CODES.has(value)) return;
  const upper = value.toUpperCase();
  const hint = COUNTRY_CODES.has(upper) ? upper : COUNTRY_HINTS[upper];
  ctx.addIssue({
    code: "custom",
    message: `"${value}" is not an ISO 3166-1 alpha-2 country code${hint ? `; did you mean ${hint}?` : " (two upper-case letters, e.g. DE, US)"}`,
  });
});

const countryListSchema = uniqueList(countryCodeSchema, "country").min(1, "list at least one country, or leave the list out");

/** Requests from an unknown location are refused under an allow list: the fail-closed reading. */
export const geolocationSchema = z
  .strictObject({
    allowCountries: countryListSchema.optional(),
    denyCountries: countryListSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.allowCountries && value.denyCountries) {
      ctx.addIssue({
        code: "custom",
        path: ["denyCountries"],
        message: "use either allowCountries or denyCountries, not both",
      });
    }
  });
export type Geolocation = z.output<typeof geolocationSchema>;
