/**
 * Tokens of the ECS cluster query language. Operators have a symbol and a word form
 * (`==`/`equals`, `!in`/`not_in`...); both lex to the symbol so the parser sees one spelling.
 */
export type TokenType = "(" | ")" | "[" | "]" | "," | "op" | "and" | "or" | "not" | "word" | "string" | "eof";

export interface Token {
  type: TokenType;
  /** Canonical text: the operator symbol, the word, or the unquoted string. */
  text: string;
  /** What the source said, for error messages. */
  raw: string;
  /** A keyword that was written as a plain word, so it can still stand as a value. */
  fromWord: boolean;
  pos: number;
}

export class QuerySyntaxError extends Error {}

const WORD_OPERATORS: Record<string, string> = {
  equals: "==",
  not_equals: "!=",
  greater_than: ">",
  greater_than_equal: ">=",
  less_than: "<",
  less_than_equal: "<=",
  exists: "exists",
  not_exists: "!exists",
  in: "in",
  not_in: "!in",
  matches: "=~",
  not_matches: "!~",
};

const SYMBOL_OPERATORS = ["==", "!=", ">=", "<=", "=~", "!~", ">", "<"];
const WORD_CHAR = /[^\s()[\],'"=!<>&|]/;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, text: string, raw: string, pos: number, fromWord = false) =>
    tokens.push({ type, text, raw, pos, fromWord });

  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ("()[],".includes(ch)) {
      push(ch as TokenType, ch, ch, i);
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      push(two === "&&" ? "and" : "or", two, two, i);
      i += 2;
      continue;
    }
    if (ch === "!") {
      // `!in` and `!exists` are operators; a lone `!` negates what follows.
      const negatedWord = /^!(in|exists)(?![^\s()[\],'"=!<>&|])/.exec(source.slice(i));
      if (negatedWord) {
        push("op", `!${negatedWord[1]}`, negatedWord[0], i);
        i += negatedWord[0].length;
        continue;
      }
    }
    const symbol = SYMBOL_OPERATORS.find((op) => source.startsWith(op, i));
    if (symbol) {
      push("op", symbol, symbol, i);
      i += symbol.length;
      if (symbol === "=~" || symbol === "!~") i = lexPattern(source, i, tokens);
      continue;
    }
    if (ch === "!") {
      push("not", "!", "!", i);
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw new QuerySyntaxError(`unterminated quoted string at position ${i}`);
      push("string", source.slice(i + 1, end), source.slice(i, end + 1), i);
      i = end + 1;
      continue;
    }
    if (!isWordChar(ch)) throw new QuerySyntaxError(`unexpected character '${ch}' at position ${i}`);
    const start = i;
    while (isWordChar(source[i])) i++;
    const word = source.slice(start, i);
    if (word === "and" || word === "or" || word === "not") push(word, word, word, start, true);
    else if (WORD_OPERATORS[word]) {
      push("op", WORD_OPERATORS[word]!, word, start, true);
      if (word === "matches" || word === "not_matches") i = lexPattern(source, i, tokens);
    } else push("word", word, word, start);
  }
  tokens.push({ type: "eof", text: "", raw: "end of expression", pos: source.length, fromWord: false });
  return tokens;
}

/**
 * A pattern argument is taken whole, brackets and all (`[0-9]+`, `m5\\..*`), up to the next
 * space or a `)` that closes an enclosing group. Quoted patterns are left to the main loop.
 */
function lexPattern(source: string, from: number, tokens: Token[]): number {
  let i = from;
  while (i < source.length && /\s/.test(source[i]!)) i++;
  if (i >= source.length || source[i] === "'" || source[i] === '"') return i;
  const start = i;
  let depth = 0;
  for (; i < source.length && !/\s/.test(source[i]!); i++) {
    const ch = source[i]!;
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") {
      if (depth === 0) break;
      depth--;
    }
  }
  if (i === start) return i;
  const text = source.slice(start, i);
  tokens.push({ type: "word", text, raw: text, pos: start, fromWord: false });
  return i;
}
