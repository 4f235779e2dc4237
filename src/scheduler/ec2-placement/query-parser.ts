import { QuerySyntaxError, tokenize, type Token } from "./query-lexer.js";

/**
 * Parser for the ECS cluster query language: `subject operator [argument]` comparisons joined by
 * and/or/not with parentheses. Precedence: not binds tightest, then and, then or. Everything a
 * comparison can get wrong (unknown subject, an operator the subject does not take, a bad date
 * or pattern) is found here, so evaluation never fails.
 */
export type Operator = "==" | "!=" | ">" | ">=" | "<" | "<=" | "exists" | "!exists" | "in" | "!in" | "=~" | "!~";

export type Subject =
  | { kind: "attribute"; name: string }
  | { kind: "taskGroup" }
  | { kind: "agentConnected" | "agentVersion" | "ec2InstanceId" | "registeredAt" | "runningTasksCount" };

export type QueryNode =
  | { kind: "and" | "or"; left: QueryNode; right: QueryNode }
  | { kind: "not"; operand: QueryNode }
  | { kind: "compare"; subject: Subject; op: Operator; args: string[]; patterns?: RegExp[] };

const EQUALITY: Operator[] = ["==", "!=", "in", "!in", "=~", "!~"];
const ORDERING: Operator[] = ["==", "!=", ">", ">=", "<", "<="];
const ALL: Operator[] = [...EQUALITY, ">", ">=", "<", "<=", "exists", "!exists"];

/** The operators the developer guide lists for each subject. */
const VALID_OPERATORS: Record<Subject["kind"], Operator[]> = {
  attribute: ALL,
  taskGroup: [...EQUALITY, "exists", "!exists"],
  agentConnected: EQUALITY,
  ec2InstanceId: EQUALITY,
  agentVersion: ORDERING,
  registeredAt: ORDERING,
  runningTasksCount: ORDERING,
};

const FIELD_SUBJECTS = new Set(["agentConnected", "agentVersion", "ec2InstanceId", "registeredAt", "runningTasksCount"]);

/** The registeredAt formats the developer guide accepts; all read as UTC. */
const DATE_FORMATS = [
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
  /^\d{4}-\d{2}-\d{2}$/,
];

/** Epoch milliseconds of a registeredAt argument, or undefined when it is not one of the formats. */
export function parseQueryDate(text: string): number | undefined {
  if (!DATE_FORMATS.some((f) => f.test(text))) return undefined;
  const [year, month, day] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  // Date.parse would roll 2018-02-30 over to March; only real calendar dates are accepted.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const iso = text.length === 10 ? `${text}T00:00:00Z` : text.length === 19 ? `${text}Z` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Java's Pattern.matches semantics: the whole value must match. */
function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new QuerySyntaxError(`invalid pattern '${pattern}'`);
  }
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.type !== "eof") throw this.unexpected(rest);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    return this.tokens[this.index++]!;
  }

  private unexpected(token: Token): QuerySyntaxError {
    if (token.type === "eof") return new QuerySyntaxError("unexpected end of expression");
    return new QuerySyntaxError(`unexpected '${token.raw}' at position ${token.pos}`);
  }

  private parseOr(): QueryNode {
    let left = this.parseAnd();
    while (this.peek().type === "or") {
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): QueryNode {
    let left = this.parseUnary();
    while (this.peek().type === "and") {
      this.next();
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): QueryNode {
    if (this.peek().type === "not") {
      this.next();
      return { kind: "not", operand: this.parseUnary() };
    }
    if (this.peek().type === "(") {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.type !== ")") throw close.type === "eof" ? new QuerySyntaxError("missing ')'") : this.unexpected(close);
      return inner;
    }
    return this.parseComparison();
  }

  private parseSubject(): Subject {
    const token = this.next();
    if (token.type !== "word") throw this.unexpected(token);
    const text = token.text;
    if (text.startsWith("attribute:")) {
      const name = text.slice("attribute:".length);
      if (!name) throw new QuerySyntaxError("attribute name missing after 'attribute:'");
      return { kind: "attribute", name };
    }
    if (text === "task:group") return { kind: "taskGroup" };
    if (FIELD_SUBJECTS.has(text)) return { kind: text as "agentVersion" };
    throw new QuerySyntaxError(`unknown subject '${text}' at position ${token.pos}`);
  }

  private parseValue(): string {
    const token = this.next();
    if (token.type === "word" || token.type === "string" || token.fromWord) return token.type === "string" ? token.text : token.raw;
    throw token.type === "eof" ? new QuerySyntaxError("argument missing at end of expression") : this.unexpected(token);
  }

  private parseList(): string[] {
    const open = this.next();
    if (open.type !== "[") throw new QuerySyntaxError(`an argument list [a, b, ...] is required at position ${open.pos}`);
    const values = [this.parseValue()];
    for (;;) {
      const token = this.next();
      if (token.type === "]") return values;
      if (token.type !== ",") throw token.type === "eof" ? new QuerySyntaxError("missing ']'") : this.unexpected(token);
      values.push(this.parseValue());
    }
  }

  private parseComparison(): QueryNode {
    const subjectToken = this.peek();
    const subject = this.parseSubject();
    const opToken = this.next();
    if (opToken.type !== "op") {
      throw new QuerySyntaxError(
        opToken.type === "eof" ? `operator missing after '${subjectToken.raw}'` : `expected an operator after '${subjectToken.raw}', found '${opToken.raw}'`,
      );
    }
    const op = opToken.text as Operator;
    if (!VALID_OPERATORS[subject.kind].includes(op)) {
      throw new QuerySyntaxError(`operator '${opToken.raw}' is not valid for ${subjectToken.raw}`);
    }
    const args = op === "exists" || op === "!exists" ? [] : op === "in" || op === "!in" ? this.parseList() : [this.parseValue()];
    checkArguments(subject, args);
    const node: QueryNode = { kind: "compare", subject, op, args };
    if (op === "=~" || op === "!~") node.patterns = args.map(compilePattern);
    return node;
  }
}

function checkArguments(subject: Subject, args: string[]): void {
  for (const arg of args) {
    if (subject.kind === "registeredAt" && parseQueryDate(arg) === undefined) {
      throw new QuerySyntaxError(`invalid date '${arg}' for registeredAt`);
    }
    if (subject.kind === "runningTasksCount" && !/^\d+$/.test(arg)) {
      throw new QuerySyntaxError(`invalid number '${arg}' for runningTasksCount`);
    }
    if (subject.kind === "agentVersion" && !/^\d+(\.\d+)*$/.test(arg)) {
      throw new QuerySyntaxError(`invalid version '${arg}' for agentVersion`);
    }
  }
}

/** Parses an expression or throws QuerySyntaxError with a short description of what is wrong. */
export function parseQuery(expression: string): QueryNode {
  if (expression.trim() === "") throw new QuerySyntaxError("empty expression");
  return new Parser(tokenize(expression)).parse();
}
