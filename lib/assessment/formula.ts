/**
 * The score formula of an assessment item (考评细则, issue 15 point 1; S13): a tiny expression
 * language an administrator writes, e.g. `20 * on_time` or `if(satisfaction >= 0.9, 15, 15 * satisfaction)`.
 * A tokenizer and a recursive-descent parser build an AST; an evaluator walks it. Nothing here
 * ever reaches eval or Function: the language can name indicators and five functions, nothing else.
 *
 *   formula    := comparison
 *   comparison := additive [ ('<' | '<=' | '>' | '>=' | '==' | '!=') additive ]     (only as if's condition)
 *   additive   := term { ('+' | '-') term }
 *   term       := unary { ('*' | '/') unary }
 *   unary      := ('-' | '+') unary | primary
 *   primary    := number | indicator | function '(' formula { ',' formula } ')' | '(' formula ')'
 *   function   := min (2+ args) | max (2+) | clamp(x, lo, hi) | if(condition, a, b) | ifnull(x, fallback)
 *
 * Chinese input is taken as written: × ÷ − and full-width （ ） ， ＋ － ＊ ／ ＜ ＞ ＝, ≤ ≥ ≠, and a
 * single `=` for `==` (there is no assignment to confuse it with).
 *
 * Values: an indicator is a number or null (no data: a ratio with an empty denominator). Null
 * flows through: any operation on null is null, a division by zero is null, and `ifnull(x, d)` is
 * the one way to say what no data is worth. Positions are 0-based offsets into the source; the
 * messages say 第 n 个字符 (1-based) for people.
 */

export type ArithOp = '+' | '-' | '*' | '/';
export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export const FUNCTIONS = ['min', 'max', 'clamp', 'if', 'ifnull'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export type FormulaNode =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'ref'; name: string; pos: number }
  | { kind: 'neg'; arg: FormulaNode; pos: number }
  | { kind: 'bin'; op: ArithOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { kind: 'cmp'; op: CompareOp; left: FormulaNode; right: FormulaNode; pos: number }
  | { kind: 'call'; fn: FunctionName; args: FormulaNode[]; pos: number };

/** A formula that cannot be read, or names what is not there: where (0-based) and why, in Chinese. */
export class FormulaError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`第 ${position + 1} 个字符：${reason}`);
    this.name = 'FormulaError';
  }
}

/** Longer formulas are refused by the contract; nesting deeper than this is refused here, before the stack is. */
export const MAX_FORMULA_LENGTH = 500;
export const MAX_DEPTH = 40;

type Token =
  | { t: 'num'; value: number; pos: number; text: string }
  | { t: 'id'; name: string; pos: number; text: string }
  | { t: 'op'; op: string; pos: number; text: string }
  | { t: 'end'; pos: number; text: '' };

/** Full-width signs as a Chinese keyboard types them, one character for one (so positions hold). */
const FULL_WIDTH: Record<string, string> = {
  '×': '*', '＊': '*', '÷': '/', '／': '/', '−': '-', '－': '-', '＋': '+', '（': '(', '）': ')', '，': ',',
  '＜': '<', '＞': '>', '＝': '=', '！': '!',
};
/** Signs that stand for two ASCII characters. */
const WIDE: Record<string, string> = { '≤': '<=', '≥': '>=', '≠': '!=' };
const TWO_CHAR = new Set(['<=', '>=', '==', '!=']);
const ONE_CHAR = new Set(['+', '-', '*', '/', '(', ')', ',', '<', '>', '=']);
const NUMBER = /\d+(?:\.\d*)?|\.\d+/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

function tokenize(src: string): Token[] {
  const norm = src.replace(/[×＊÷／−－＋（），＜＞＝！]/g, (c) => FULL_WIDTH[c]);
  const out: Token[] = [];
  let i = 0;
  while (i < norm.length) {
    const c = norm[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(norm);
    if (num) {
      const text = num[0];
      if (text.length > 20) throw new FormulaError(i, '数字过长（最多 20 位）');
      if (norm[i + text.length] === '.') throw new FormulaError(i + text.length, '数字格式有误（多了一个小数点）');
      out.push({ t: 'num', value: Number(text), pos: i, text });
      i += text.length;
      continue;
    }
    NAME.lastIndex = i;
    const id = NAME.exec(norm);
    if (id) {
      if (id[0].length > 64) throw new FormulaError(i, '名称过长（最多 64 个字符）');
      out.push({ t: 'id', name: id[0], pos: i, text: id[0] });
      i += id[0].length;
      continue;
    }
    const pair = norm.slice(i, i + 2);
    if (TWO_CHAR.has(pair)) {
      out.push({ t: 'op', op: pair, pos: i, text: src.slice(i, i + 2) });
      i += 2;
      continue;
    }
    const op = WIDE[c] ?? c;
    if (ONE_CHAR.has(op) || TWO_CHAR.has(op)) {
      out.push({ t: 'op', op: op === '=' ? '==' : op, pos: i, text: src[i] });
      i += 1;
      continue;
    }
    throw new FormulaError(i, `无法识别的字符“${String.fromCodePoint(src.codePointAt(i)!)}”`);
  }
  out.push({ t: 'end', pos: src.length, text: '' });
  return out;
}

const COMPARE = new Set<string>(['<', '<=', '>', '>=', '==', '!=']);
const ARITY: Record<FunctionName, { min: number; max: number; need: string; usage?: string }> = {
  min: { min: 2, max: Infinity, need: '至少 2 个' },
  max: { min: 2, max: Infinity, need: '至少 2 个' },
  clamp: { min: 3, max: 3, need: '3 个', usage: 'clamp(值, 下限, 上限)' },
  if: { min: 3, max: 3, need: '3 个', usage: 'if(条件, 成立时的值, 不成立时的值)' },
  ifnull: { min: 2, max: 2, need: '2 个', usage: 'ifnull(值, 无数据时的值)' },
};
const isFunction = (name: string): name is FunctionName => (FUNCTIONS as readonly string[]).includes(name);

const describe = (t: Token) => (t.t === 'end' ? '公式结尾' : `“${t.text}”`);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i];
  }

  private isOp(op: string): boolean {
    const t = this.tok;
    return t.t === 'op' && t.op === op;
  }

  private expect(op: string, what: string): void {
    if (!this.isOp(op)) throw new FormulaError(this.tok.pos, `此处应为${what}，却是${describe(this.tok)}`);
    this.i++;
  }

  formula(): FormulaNode {
    const node = this.numeric(this.comparison());
    if (this.tok.t !== 'end') {
      const t = this.tok;
      throw new FormulaError(t.pos, t.t === 'op' && t.op === ')' ? '多余的右括号“)”' : `多余的${describe(t)}（缺少运算符？）`);
    }
    return node;
  }

  /** A comparison is a condition, not a number: anywhere but if's first argument it is refused. */
  private numeric(node: FormulaNode): FormulaNode {
    if (node.kind === 'cmp') throw new FormulaError(node.pos, '比较（如 on_time >= 0.9）只能作为 if 的第一个参数');
    return node;
  }

  private comparison(): FormulaNode {
    if (++this.depth > MAX_DEPTH) throw new FormulaError(this.tok.pos, `嵌套过深（最多 ${MAX_DEPTH} 层）`);
    const left = this.additive();
    let node = left;
    const t = this.tok;
    if (t.t === 'op' && COMPARE.has(t.op)) {
      this.i++;
      node = { kind: 'cmp', op: t.op as CompareOp, left: this.numeric(left), right: this.numeric(this.additive()), pos: t.pos };
      const next = this.tok;
      if (next.t === 'op' && COMPARE.has(next.op)) throw new FormulaError(next.pos, '比较不能连写（如 a < b < c）');
    }
    this.depth--;
    return node;
  }

  private additive(): FormulaNode {
    let node = this.term();
    for (let t = this.tok; t.t === 'op' && (t.op === '+' || t.op === '-'); t = this.tok) {
      this.i++;
      node = { kind: 'bin', op: t.op, left: this.numeric(node), right: this.numeric(this.term()), pos: t.pos };
    }
    return node;
  }

  private term(): FormulaNode {
    let node = this.unary();
    for (let t = this.tok; t.t === 'op' && (t.op === '*' || t.op === '/'); t = this.tok) {
      this.i++;
      node = { kind: 'bin', op: t.op, left: this.numeric(node), right: this.numeric(this.unary()), pos: t.pos };
    }
    return node;
  }

  private unary(): FormulaNode {
    const t = this.tok;
    if (t.t === 'op' && (t.op === '-' || t.op === '+')) {
      if (++this.depth > MAX_DEPTH) throw new FormulaError(t.pos, `嵌套过深（最多 ${MAX_DEPTH} 层）`);
      this.i++;
      const arg = this.numeric(this.unary());
      this.depth--;
      return t.op === '-' ? { kind: 'neg', arg, pos: t.pos } : arg;
    }
    return this.primary();
  }

  private primary(): FormulaNode {
    const t = this.tok;
    if (t.t === 'num') {
      this.i++;
      return { kind: 'num', value: t.value, pos: t.pos };
    }
    if (t.t === 'id') {
      this.i++;
      if (!this.isOp('(')) {
        if (isFunction(t.name)) throw new FormulaError(this.tok.pos, `函数 ${t.name} 后应为“(”`);
        return { kind: 'ref', name: t.name, pos: t.pos };
      }
      if (!isFunction(t.name)) throw new FormulaError(t.pos, `未知的函数“${t.name}”（可用：${FUNCTIONS.join('、')}）`);
      this.i++;
      const args: FormulaNode[] = [];
      if (!this.isOp(')')) {
        args.push(this.comparison());
        while (this.isOp(',')) {
          this.i++;
          args.push(this.comparison());
        }
      }
      this.expect(')', '“,”或“)”');
      const arity = ARITY[t.name];
      if (args.length < arity.min || args.length > arity.max)
        throw new FormulaError(t.pos, `函数 ${t.name} 需要${/^\d/.test(arity.need) ? ' ' : ''}${arity.need}参数，现有 ${args.length} 个${arity.usage ? `（用法：${arity.usage}）` : ''}`);
      args.forEach((a, k) => {
        if (t.name === 'if' && k === 0) {
          if (a.kind !== 'cmp') throw new FormulaError(a.pos, 'if 的第一个参数须为比较，如 if(on_time >= 0.9, 10, 5)');
        } else this.numeric(a);
      });
      return { kind: 'call', fn: t.name, args, pos: t.pos };
    }
    if (t.t === 'op' && t.op === '(') {
      this.i++;
      const inner = this.comparison();
      this.expect(')', '右括号“)”');
      return inner;
    }
    if (t.t === 'end') throw new FormulaError(t.pos, t.pos === 0 ? '公式为空' : '公式不完整：结尾处应为数字、指标或“(”');
    throw new FormulaError(t.pos, `此处应为数字、指标或“(”，却是${describe(t)}`);
  }
}

/** Parses a formula; a FormulaError says where and why. Indicator names are not checked here (see compile). */
export function parse(src: string): FormulaNode {
  if (src.length > MAX_FORMULA_LENGTH) throw new FormulaError(MAX_FORMULA_LENGTH, `公式过长（最多 ${MAX_FORMULA_LENGTH} 个字符）`);
  return new Parser(tokenize(src)).formula();
}

/** The indicators a formula names, each with the position of its first mention, in order of appearance. */
export function references(node: FormulaNode): { name: string; pos: number }[] {
  const seen = new Map<string, number>();
  const walk = (n: FormulaNode): void => {
    switch (n.kind) {
      case 'ref':
        if (!seen.has(n.name)) seen.set(n.name, n.pos);
        return;
      case 'neg':
        return walk(n.arg);
      case 'bin':
      case 'cmp':
        walk(n.left);
        return walk(n.right);
      case 'call':
        return n.args.forEach(walk);
      case 'num':
        return;
    }
  };
  walk(node);
  return [...seen].map(([name, pos]) => ({ name, pos })).sort((a, b) => a.pos - b.pos);
}

/** Parses and checks every named indicator against `isKnown`: the first unknown one is a FormulaError at its position. */
export function compile(src: string, isKnown: (name: string) => boolean): FormulaNode {
  const node = parse(src);
  const unknown = references(node).find((r) => !isKnown(r.name));
  if (unknown) throw new FormulaError(unknown.pos, `未知的指标“${unknown.name}”`);
  return node;
}

export type FormulaValues = Readonly<Record<string, number | null | undefined>>;

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The formula's value over the indicators' values; null when what it needs has no data (see the
 * file's comment). An indicator absent from `values` is a programming error of the caller (the
 * scoring job computes every indicator an item lists), so it throws rather than scoring nothing.
 */
export function evaluate(node: FormulaNode, values: FormulaValues): number | null {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'ref': {
      // Own properties only: a name such as `constructor` must not find Object.prototype's.
      const v = Object.hasOwn(values, node.name) ? values[node.name] : undefined;
      if (v === undefined) throw new Error(`formula: no value for indicator ${node.name}`);
      return v === null ? null : finite(v);
    }
    case 'neg': {
      const v = evaluate(node.arg, values);
      return v === null ? null : -v;
    }
    case 'bin': {
      const a = evaluate(node.left, values);
      const b = evaluate(node.right, values);
      if (a === null || b === null) return null;
      switch (node.op) {
        case '+': return finite(a + b);
        case '-': return finite(a - b);
        case '*': return finite(a * b);
        case '/': return b === 0 ? null : finite(a / b);
      }
      break;
    }
    case 'cmp': {
      const a = evaluate(node.left, values);
      const b = evaluate(node.right, values);
      if (a === null || b === null) return null;
      const holds = { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a === b, '!=': a !== b }[node.op];
      return holds ? 1 : 0;
    }
    case 'call': {
      const { fn, args } = node;
      if (fn === 'if') {
        const cond = evaluate(args[0], values);
        return cond === null ? null : evaluate(args[cond ? 1 : 2], values);
      }
      if (fn === 'ifnull') return evaluate(args[0], values) ?? evaluate(args[1], values);
      const vs = args.map((a) => evaluate(a, values));
      if (vs.some((v) => v === null)) return null;
      const xs = vs as number[];
      if (fn === 'min') return Math.min(...xs);
      if (fn === 'max') return Math.max(...xs);
      // clamp(x, lo, hi): x within [lo, hi]; with lo > hi, hi wins (min(max(x, lo), hi)), as a careless rule would expect of a ceiling.
      return Math.min(Math.max(xs[0], xs[1]), xs[2]);
    }
  }
  throw new Error('formula: unknown node');
}

const PRECEDENCE = { cmp: 1, add: 2, mul: 3, unary: 4, atom: 5 } as const;
const precedenceOf = (n: FormulaNode): number =>
  n.kind === 'cmp' ? PRECEDENCE.cmp
    : n.kind === 'bin' ? (n.op === '+' || n.op === '-' ? PRECEDENCE.add : PRECEDENCE.mul)
      : n.kind === 'neg' ? PRECEDENCE.unary
        : PRECEDENCE.atom;

/**
 * The formula written back with as few parentheses as keep its meaning (for display, and for the
 * round-trip test: parse(format(ast)) is ast). Operators are left-associative, so a right operand of
 * the same precedence keeps its parentheses.
 */
export function format(node: FormulaNode): string {
  const wrap = (n: FormulaNode, atLeast: number) => (precedenceOf(n) < atLeast ? `(${format(n)})` : format(n));
  switch (node.kind) {
    case 'num':
      return String(node.value);
    case 'ref':
      return node.name;
    case 'neg':
      return `-${wrap(node.arg, PRECEDENCE.unary)}`;
    case 'bin': {
      const p = precedenceOf(node);
      return `${wrap(node.left, p)} ${node.op} ${wrap(node.right, p + 1)}`;
    }
    case 'cmp':
      return `${wrap(node.left, PRECEDENCE.add)} ${node.op} ${wrap(node.right, PRECEDENCE.add)}`;
    case 'call':
      return `${node.fn}(${node.args.map(format).join(', ')})`;
  }
}
