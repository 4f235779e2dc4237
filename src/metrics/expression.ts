/**
 * CloudWatch metric math, the part scaling policies use: query ids, numbers, + - * / and
 * parentheses ("m1 / m2", "(m1 + m2) * 100"). Division by zero gives no value, as CloudWatch
 * drops such points.
 */
export class ExpressionError extends Error {}

type Token = { kind: "num"; value: number } | { kind: "id"; name: string } | { kind: "op"; op: string };

export function evaluateExpression(expression: string, values: Record<string, number | undefined>): number | undefined {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const expr = (): number | undefined => {
    let left = term();
    while (peek()?.kind === "op" && ["+", "-"].includes((peek() as { op: string }).op)) {
      const op = (tokens[i++] as { op: string }).op;
      const right = term();
      left = left === undefined || right === undefined ? undefined : op === "+" ? left + right : left - right;
    }
    return left;
  };
  const term = (): number | undefined => {
    let left = factor();
    while (peek()?.kind === "op" && ["*", "/"].includes((peek() as { op: string }).op)) {
      const op = (tokens[i++] as { op: string }).op;
      const right = factor();
      if (left === undefined || right === undefined) left = undefined;
      else if (op === "*") left = left * right;
      else left = right === 0 ? undefined : left / right;
    }
    return left;
  };
  const factor = (): number | undefined => {
    const t = tokens[i++];
    if (!t) throw new ExpressionError(`unexpected end of expression: ${expression}`);
    if (t.kind === "num") return t.value;
    if (t.kind === "id") {
      if (!Object.hasOwn(values, t.name)) throw new ExpressionError(`unknown id ${t.name} in expression: ${expression}`);
      return values[t.name];
    }
    if (t.op === "-") {
      const v = factor();
      return v === undefined ? undefined : -v;
    }
    if (t.op === "(") {
      const v = expr();
      if ((tokens[i++] as { op?: string } | undefined)?.op !== ")") throw new ExpressionError(`missing ) in expression: ${expression}`);
      return v;
    }
    throw new ExpressionError(`unexpected ${t.op} in expression: ${expression}`);
  };
  const result = expr();
  if (i !== tokens.length) throw new ExpressionError(`unexpected text in expression: ${expression}`);
  return result;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const source = text.trim();
  const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;
  for (let pos = 0; pos < source.length; pos = re.lastIndex) {
    re.lastIndex = pos;
    const m = re.exec(source);
    if (!m) throw new ExpressionError(`cannot read expression: ${text}`);
    if (m[1] !== undefined) out.push({ kind: "num", value: parseFloat(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: "id", name: m[2] });
    else out.push({ kind: "op", op: m[3]! });
  }
  return out;
}
