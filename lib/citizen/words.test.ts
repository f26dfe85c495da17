import { describe, expect, it } from 'vitest';
import { contentWords, maskPhone, scrubPersonal, titleOf } from './words';

/* Issue 14 (S14): a resident's title reaches the wall, so their phone number and name never do. */

describe('a resident\'s words', () => {
  it('the title drops long numbers and the name, and keeps to 30 characters', () => {
    expect(titleOf(null, '王小明家门口 138 1234 5678 有积水', '王小明')).toBe('**家门口 *** 有积水');
    const long = titleOf('政策咨询', '请问'.repeat(40));
    expect(Array.from(long).length).toBe(30);
    expect(long.startsWith('政策咨询：')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
    expect(scrubPersonal('身份证330501199001011234')).toBe('身份证***');
    expect(scrubPersonal('3 号楼 12 层')).toBe('3 号楼 12 层');
  });

  it('also full-width digits, dotted numbers and the given name alone (review L1)', () => {
    expect(scrubPersonal('电话１３８１２３４５６７８')).toBe('电话***');
    expect(scrubPersonal('打 138.1234.5678 找我')).toBe('打 *** 找我');
    expect(scrubPersonal('0571-8888 7777')).toBe('***');
    // NFKC folds full-width punctuation too (，→ ,): a title loses nothing by it.
    expect(titleOf(null, '我是小明，门口路灯坏了', '王小明')).toBe('我是**,门口路灯坏了');
    expect(scrubPersonal('王 小明家', '王 小明')).toBe('王 **家');
    // A two-character name is scrubbed whole only: one character alone is too common a word.
    expect(scrubPersonal('李四的四轮车', '李四')).toBe('**的四轮车');
    expect(scrubPersonal('3.5 米宽 12 层')).toBe('3.5 米宽 12 层');
  });

  it('the same words written differently compare equal', () => {
    expect(contentWords(' 路灯 坏了！ ')).toBe(contentWords('路灯坏了!'));
    expect(contentWords('ＡＢＣ')).toBe(contentWords('abc'));
  });

  it('masks a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });
});
