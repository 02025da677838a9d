// Pure password rules, importable from the browser (forms) as well as the server.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
