/** InfluxQL lexical tokens, their display text, precedence and keyword lookup. */

/** Operators, in InfluxDB's token order; the value is the text shown in errors. */
const OPERATORS = {
  ADD: "+",
  SUB: "-",
  MUL: "*",
  DIV: "/",
  MOD: "%",
  BITWISE_AND: "&",
  BITWISE_OR: "|",
  BITWISE_XOR: "^",
  AND: "AND",
  OR: "OR",
  IN: "IN",
  EQ: "=",
  NEQ: "!=",
  EQREGEX: "=~",
  NEQREGEX: "!~",
  LT: "<",
  LTE: "<=",
  GT: ">",
  GTE: ">=",
} as const;

const PUNCTUATION = {
  LPAREN: "(",
  RPAREN: ")",
  COMMA: ",",
  COLON: ":",
  DOUBLECOLON: "::",
  SEMICOLON: ";",
  DOT: ".",
} as const;

/** Every InfluxQL keyword (InfluxDB 1.6's list); each is case-insensitive in queries. */
export const KEYWORDS = [
  "ALL",
  "ALTER",
  "ANALYZE",
  "ANY",
  "AS",
  "ASC",
  "BEGIN",
  "BY",
  "CARDINALITY",
  "CREATE",
  "CONTINUOUS",
  "DATABASE",
  "DATABASES",
  "DEFAULT",
  "DELETE",
  "DESC",
  "DESTINATIONS",
  "DIAGNOSTICS",
  "DISTINCT",
  "DROP",
  "DURATION",
  "END",
  "EVERY",
  "EXACT",
  "EXPLAIN",
  "FIELD",
  "FOR",
  "FROM",
  "GRANT",
  "GRANTS",
  "GROUP",
  "GROUPS",
  "INF",
  "INSERT",
  "INTO",
  "KEY",
  "KEYS",
  "KILL",
  "LIMIT",
  "MEASUREMENT",
  "MEASUREMENTS",
  "NAME",
  "OFFSET",
  "ON",
  "ORDER",
  "PASSWORD",
  "POLICY",
  "POLICIES",
  "PRIVILEGES",
  "QUERIES",
  "QUERY",
  "READ",
  "REPLICATION",
  "RESAMPLE",
  "RETENTION",
  "REVOKE",
  "SELECT",
  "SERIES",
  "SET",
  "SHOW",
  "SHARD",
  "SHARDS",
  "SLIMIT",
  "SOFFSET",
  "STATS",
  "SUBSCRIPTION",
  "SUBSCRIPTIONS",
  "TAG",
  "TO",
  "USER",
  "USERS",
  "VALUES",
  "WHERE",
  "WITH",
  "WRITE",
] as const;

/** A keyword token. */
export type Keyword = typeof KEYWORDS[number];
/** An operator token (binary operators of expressions). */
export type Operator = keyof typeof OPERATORS;

/** Special and literal tokens. */
export type SpecialToken =
  | "ILLEGAL"
  | "EOF"
  | "WS"
  | "COMMENT"
  | "IDENT"
  | "BOUNDPARAM"
  | "NUMBER"
  | "INTEGER"
  | "DURATIONVAL"
  | "STRING"
  | "BADSTRING"
  | "BADESCAPE"
  | "TRUE"
  | "FALSE"
  | "REGEX"
  | "BADREGEX";

/** Any InfluxQL token. */
export type Token = SpecialToken | Operator | keyof typeof PUNCTUATION | Keyword;

const SPECIAL_TEXT: Record<SpecialToken, string> = {
  ILLEGAL: "ILLEGAL",
  EOF: "EOF",
  WS: "WS",
  COMMENT: "",
  IDENT: "IDENT",
  BOUNDPARAM: "",
  NUMBER: "NUMBER",
  INTEGER: "",
  DURATIONVAL: "DURATIONVAL",
  STRING: "STRING",
  BADSTRING: "BADSTRING",
  BADESCAPE: "BADESCAPE",
  TRUE: "TRUE",
  FALSE: "FALSE",
  REGEX: "REGEX",
  BADREGEX: "",
};

const KEYWORD_LOWER: ReadonlySet<string> = new Set(KEYWORDS.map((k) => k.toLowerCase()));

/** The text InfluxDB shows for a token (its `Token.String()`). */
export function tokenText(tok: Token): string {
  if (tok in OPERATORS) return OPERATORS[tok as Operator];
  if (tok in PUNCTUATION) return PUNCTUATION[tok as keyof typeof PUNCTUATION];
  if (tok in SPECIAL_TEXT) return SPECIAL_TEXT[tok as SpecialToken];
  return tok;
}

/** The literal if there is one, else the token's text (influxql's `tokstr`). */
export function tokstr(tok: Token, lit: string): string {
  return lit !== "" ? lit : tokenText(tok);
}

/** True for binary operator tokens. */
export function isOperator(tok: Token): tok is Operator {
  return tok in OPERATORS;
}

/** The binary precedence of an operator (higher binds tighter); 0 for non-operators. */
export function precedence(tok: Token): number {
  switch (tok) {
    case "OR":
      return 1;
    case "AND":
      return 2;
    case "EQ":
    case "NEQ":
    case "EQREGEX":
    case "NEQREGEX":
    case "LT":
    case "LTE":
    case "GT":
    case "GTE":
    case "IN":
      return 3;
    case "ADD":
    case "SUB":
    case "BITWISE_OR":
    case "BITWISE_XOR":
      return 4;
    case "MUL":
    case "DIV":
    case "MOD":
    case "BITWISE_AND":
      return 5;
    default:
      return 0;
  }
}

/** The keyword (or AND/OR/IN/TRUE/FALSE) a word names, case-insensitively, else IDENT. */
export function lookup(ident: string): Token {
  // Lower-case like Go does: toUpperCase would turn "ſelect" into SELECT.
  const low = ident.toLowerCase();
  if (KEYWORD_LOWER.has(low)) return low.toUpperCase() as Keyword;
  switch (low) {
    case "and":
      return "AND";
    case "or":
      return "OR";
    case "in":
      return "IN";
    case "true":
      return "TRUE";
    case "false":
      return "FALSE";
    default:
      return "IDENT";
  }
}

/** The operator token whose text is `text` (e.g. "+" → ADD). */
export function operatorFromText(text: string): Operator | undefined {
  for (const [k, v] of Object.entries(OPERATORS)) if (v === text) return k as Operator;
  return undefined;
}
