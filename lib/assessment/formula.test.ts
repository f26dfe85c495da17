import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, format, FormulaError, MAX_DEPTH, parse, references, type ArithOp, type CompareOp, type FormulaNode } from './formula';
import { isIndicator } from './indicators';

/** Issue 15 point 1 (S13): the score formula language of 考评细则, parsed and evaluated without eval. */

const ev = (src: string, values: Record<string, number | null> = {}) => evaluate(parse(src), values);

/** The FormulaError a source gives: its position and reason. */
function failure(src: string, known?: (n: string) => boolean): { position: number; reason: string } {
  try {
    if (known) compile(src, known);
    else parse(src);
  } catch (err) {
    expect(err).toBeInstanceOf(FormulaError);
    const e = err as FormulaError;
    return { position: e.position, reason: e.reason };
  }
  throw new Error(`no error for ${src}`);
}

/** The AST without positions, for comparing shapes. */
function shape(n: FormulaNode): unknown {
  switch (n.kind) {
    case 'num': return n.value;
    case 'ref': return n.name;
    case 'neg': return ['neg', shape(n.arg)];
    case 'bin':
    case 'cmp': return [n.op, shape(n.left), shape(n.right)];
    case 'call': return [n.fn, ...n.args.map(shape)];
  }
}

describe('formula: parsing and precedence', () => {
  it('× and ÷ bind tighter than + and −, all left-associative; parentheses group; unary minus binds tightest', () => {
    expect(shape(parse('1 + 2 * 3'))).toEqual(['+', 1, ['*', 2, 3]]);
    expect(shape(parse('(1 + 2) * 3'))).toEqual(['*', ['+', 1, 2], 3]);
    expect(shape(parse('10 - 4 - 3'))).toEqual(['-', ['-', 10, 4], 3]);
    expect(shape(parse('12 / 3 / 2'))).toEqual(['/', ['/', 12, 3], 2]);
    expect(shape(parse('-2 * 3'))).toEqual(['*', ['neg', 2], 3]);
    expect(shape(parse('2 * -on_time'))).toEqual(['*', 2, ['neg', 'on_time']]);
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('10 - 4 - 3')).toBe(3);
    expect(ev('12 / 3 / 2')).toBe(2);
    expect(ev('-2 * 3 + +1')).toBe(-5);
  });

  it('takes Chinese input as written: × ÷ −, full-width parentheses, comma and signs, ≥ ≤ ≠ and a single =', () => {
    expect(ev('20 × on_time ÷ 2 − 1', { on_time: 0.5 })).toBe(4);
    expect(ev('max（1，2）＋（3）')).toBe(5);
    expect(ev('if(on_time ≥ 0.9, 10, 5)', { on_time: 0.95 })).toBe(10);
    expect(ev('if(on_time ≤ 0.9, 10, 5)', { on_time: 0.95 })).toBe(5);
    expect(ev('if(red_cards = 0, 10, 0)', { red_cards: 0 })).toBe(10);
    expect(ev('if(red_cards ≠ 0, 10, 0)', { red_cards: 0 })).toBe(0);
    expect(ev('if(red_cards ＜＝ 1, 10, 0)', { red_cards: 1 })).toBe(10);
  });

  it('min, max, clamp, if and ifnull', () => {
    expect(ev('min(3, 1, 2)')).toBe(1);
    expect(ev('max(3, 1, 2)')).toBe(3);
    expect(ev('clamp(12, 0, 10)')).toBe(10);
    expect(ev('clamp(-2, 0, 10)')).toBe(0);
    expect(ev('clamp(4, 0, 10)')).toBe(4);
    expect(ev('10 * min(consultations, 1)', { consultations: 1.25 })).toBe(10);
    expect(ev('if(satisfaction >= 0.95, 15, 15 * satisfaction)', { satisfaction: 0.8 })).toBeCloseTo(12);
    expect(ev('if(satisfaction >= 0.95, 15, 15 * satisfaction)', { satisfaction: 0.96 })).toBe(15);
    expect(ev('if(1 + 1 == 2, 1, 0)')).toBe(1);
    expect(ev('if((1 < 2), 1, 0)')).toBe(1);
    expect(ev('ifnull(satisfaction, 1) * 15', { satisfaction: null })).toBe(15);
    expect(ev('ifnull(satisfaction, 1) * 15', { satisfaction: 0.6 })).toBe(9);
  });

  it('null (no data) flows through every operation; a division by zero is no data too; only ifnull stops it', () => {
    const none = { satisfaction: null, on_time: 0.5 };
    for (const src of ['satisfaction + 1', '-satisfaction', '2 * satisfaction', 'min(satisfaction, 1)', 'clamp(satisfaction, 0, 1)', 'if(satisfaction > 0.5, 1, 0)', 'on_time / 0'])
      expect(ev(src, none), src).toBeNull();
    expect(ev('if(on_time > 0.4, 1, satisfaction)', none)).toBe(1);
    expect(ev('ifnull(on_time / 0, 7)', none)).toBe(7);
  });

  it('an indicator the caller did not compute is a programming error, not a score of nothing', () => {
    expect(() => ev('on_time * 2', {})).toThrow(/no value for indicator on_time/);
  });

  it('references lists each indicator once, at its first mention', () => {
    expect(references(parse('10 - yellow_cards - 3 * red_cards + 0 * yellow_cards'))).toEqual([
      { name: 'yellow_cards', pos: 5 },
      { name: 'red_cards', pos: 24 },
    ]);
  });
});

describe('formula: errors name the position (0-based; the message says 第 n 个字符) in Chinese', () => {
  it.each([
    ['', 0, /公式为空/],
    ['   ', 3, /公式为空|不完整/],
    ['10 *', 4, /公式不完整/],
    ['(1 + 2', 6, /右括号/],
    ['1 + 2)', 5, /多余的右括号/],
    ['2 on_time', 2, /多余的“on_time”（缺少运算符？）/],
    ['10 # 2', 3, /无法识别的字符“#”/],
    ['10 * 评分', 5, /无法识别的字符“评”/],
    ['1.2.3', 3, /多了一个小数点/],
    ['sqrt(4)', 0, /未知的函数“sqrt”/],
    ['min(1)', 0, /函数 min 需要至少 2 个参数，现有 1 个/],
    ['clamp(1, 2)', 0, /函数 clamp 需要 3 个参数，现有 2 个（用法：clamp\(值, 下限, 上限\)）/],
    ['if(1, 2, 3)', 3, /if 的第一个参数须为比较/],
    ['on_time > 0.9', 8, /只能作为 if 的第一个参数/],
    ['1 + (2 > 1)', 7, /只能作为 if 的第一个参数/],
    ['if(1 < 2 < 3, 1, 0)', 9, /比较不能连写/],
    ['max(1, 2', 8, /“,”或“\)”/],
    ['min + 1', 4, /函数 min 后应为“\(”/],
    ['1 + * 2', 4, /此处应为数字、指标或“\(”，却是“\*”/],
    ['123456789012345678901', 0, /数字过长/],
  ])('%j → position %i', (src, position, reason) => {
    const f = failure(src);
    expect(f.position).toBe(position);
    expect(f.reason).toMatch(reason);
  });

  it('the message counts characters from 1 for people', () => {
    expect(() => parse('10 # 2')).toThrow('第 4 个字符：无法识别的字符“#”');
  });

  it('compile refuses an unknown indicator at its position, naming it', () => {
    expect(failure('20 * on_time + 5 * on_tiem', isIndicator)).toEqual({ position: 19, reason: '未知的指标“on_tiem”' });
    expect(() => compile('20 * on_time', isIndicator)).not.toThrow();
  });

  it('nesting deeper than the limit is refused, not a stack overflow', () => {
    const deep = '('.repeat(MAX_DEPTH + 5) + '1' + ')'.repeat(MAX_DEPTH + 5);
    expect(failure(deep).reason).toMatch(/嵌套过深/);
    const negs = '-'.repeat(MAX_DEPTH + 5) + '1';
    expect(failure(negs).reason).toMatch(/嵌套过深/);
    expect(ev('('.repeat(20) + '1' + ')'.repeat(20))).toBe(1);
  });

  it('a formula longer than the limit is refused', () => {
    expect(failure('1+'.repeat(300) + '1').reason).toMatch(/公式过长/);
  });

  it('never runs code: what would be JavaScript is refused by the tokenizer or the parser', () => {
    for (const src of ['process.exit(1)', 'constructor.constructor("return 1")()', 'on_time; 1', '`1`', 'a => 1', '[1][0]'])
      expect(() => parse(src), src).toThrow(FormulaError);
    // `constructor` is a name like any other, and no indicator: compile refuses it, evaluate never looks it up on a prototype.
    expect(failure('constructor', isIndicator).reason).toBe('未知的指标“constructor”');
  });
});

/** Random formulas as trees, to check the parser against the printer and the evaluator against plain arithmetic. */
const NAMES = ['on_time', 'coverage', 'red_cards'] as const;
const numeric: fc.Arbitrary<FormulaNode> = fc.letrec<{ n: FormulaNode; c: FormulaNode }>((tie) => ({
  n: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer({ min: 0, max: 1000 }).map((value): FormulaNode => ({ kind: 'num', value, pos: 0 })),
      fc.integer({ min: 0, max: 9999 }).map((v): FormulaNode => ({ kind: 'num', value: v / 100, pos: 0 })),
      fc.constantFrom(...NAMES).map((name): FormulaNode => ({ kind: 'ref', name, pos: 0 })),
    ),
    tie('n').map((arg): FormulaNode => ({ kind: 'neg', arg, pos: 0 })),
    fc.tuple(fc.constantFrom<ArithOp>('+', '-', '*', '/'), tie('n'), tie('n')).map(([op, left, right]): FormulaNode => ({ kind: 'bin', op, left, right, pos: 0 })),
    fc.tuple(fc.constantFrom<'min' | 'max'>('min', 'max'), fc.array(tie('n'), { minLength: 2, maxLength: 3 })).map(([fn, args]): FormulaNode => ({ kind: 'call', fn, args, pos: 0 })),
    fc.tuple(tie('n'), tie('n'), tie('n')).map((args): FormulaNode => ({ kind: 'call', fn: 'clamp', args, pos: 0 })),
    fc.tuple(tie('c'), tie('n'), tie('n')).map((args): FormulaNode => ({ kind: 'call', fn: 'if', args, pos: 0 })),
    fc.tuple(tie('n'), tie('n')).map((args): FormulaNode => ({ kind: 'call', fn: 'ifnull', args, pos: 0 })),
  ),
  c: fc.tuple(fc.constantFrom<CompareOp>('<', '<=', '>', '>=', '==', '!='), tie('n'), tie('n')).map(([op, left, right]): FormulaNode => ({ kind: 'cmp', op, left, right, pos: 0 })),
})).n;

const depthOf = (n: FormulaNode): number =>
  n.kind === 'neg' ? 1 + depthOf(n.arg)
    : n.kind === 'bin' || n.kind === 'cmp' ? 1 + Math.max(depthOf(n.left), depthOf(n.right))
      : n.kind === 'call' ? 1 + Math.max(...n.args.map(depthOf))
        : 1;

/** The obvious evaluator, written independently of the one under test. */
function reference(n: FormulaNode, v: Record<string, number | null>): number | null {
  const all = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : (xs as number[]));
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  switch (n.kind) {
    case 'num': return n.value;
    case 'ref': return v[n.name];
    case 'neg': { const a = reference(n.arg, v); return a === null ? null : -a; }
    case 'bin': {
      const xs = all([reference(n.left, v), reference(n.right, v)]);
      if (!xs) return null;
      const [a, b] = xs;
      return n.op === '+' ? fin(a + b) : n.op === '-' ? fin(a - b) : n.op === '*' ? fin(a * b) : b === 0 ? null : fin(a / b);
    }
    case 'cmp': {
      const xs = all([reference(n.left, v), reference(n.right, v)]);
      if (!xs) return null;
      const [a, b] = xs;
      return Number(n.op === '<' ? a < b : n.op === '<=' ? a <= b : n.op === '>' ? a > b : n.op === '>=' ? a >= b : n.op === '==' ? a === b : a !== b);
    }
    case 'call': {
      if (n.fn === 'if') { const c = reference(n.args[0], v); return c === null ? null : reference(n.args[c ? 1 : 2], v); }
      if (n.fn === 'ifnull') return reference(n.args[0], v) ?? reference(n.args[1], v);
      const xs = all(n.args.map((a) => reference(a, v)));
      if (!xs) return null;
      return n.fn === 'min' ? Math.min(...xs) : n.fn === 'max' ? Math.max(...xs) : Math.min(Math.max(xs[0], xs[1]), xs[2]);
    }
  }
}

const valuesArb = fc.record({
  on_time: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  coverage: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  red_cards: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
});

describe('formula: properties (fast-check)', () => {
  it('format then parse gives the same tree: precedence and associativity survive the fewest parentheses', () => {
    fc.assert(fc.property(numeric, (ast) => {
      const text = format(ast);
      fc.pre(text.length <= 500 && depthOf(ast) <= 15);
      expect(shape(parse(text))).toEqual(shape(ast));
    }), { numRuns: 500 });
  });

  it('evaluates as the obvious evaluator does, nulls included', () => {
    fc.assert(fc.property(numeric, valuesArb, (ast, values) => {
      const text = format(ast);
      fc.pre(text.length <= 500 && depthOf(ast) <= 15);
      expect(evaluate(parse(text), values)).toBe(reference(ast, values));
    }), { numRuns: 500 });
  });

  it('any text whatever: a tree, or a FormulaError inside the text — never another exception', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-*/×÷−()（）,，<>=!≤≥≠ _abcdefghijklmnopqrstuvwxyz评#'.split(''));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.array(alphabet, { maxLength: 60 }).map((cs) => cs.join(''))), (src) => {
      try {
        parse(src);
      } catch (err) {
        expect(err).toBeInstanceOf(FormulaError);
        const { position } = err as FormulaError;
        expect(position).toBeGreaterThanOrEqual(0);
        expect(position).toBeLessThanOrEqual(src.length);
      }
    }), { numRuns: 2000 });
  });

  it('clamp(x, lo, hi) with lo ≤ hi lies within [lo, hi]', () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: 0, max: 100 }), (x, lo, span) => {
      const r = ev(`clamp(${x}, (${lo}), (${lo + span}))`);
      expect(r).toBeGreaterThanOrEqual(lo);
      expect(r).toBeLessThanOrEqual(lo + span);
    }));
  });
});
