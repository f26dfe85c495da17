import { pick } from '@/lib/random';

// Surnames common around Huzhou first, so demo rosters read like a Nanxun roster.
const SURNAMES = '沈钱姚陆费闵潘吴王张朱徐施李陈杨周孙金蒋俞顾严邱胡许凌褚'.split('');
const GIVEN = '建国伟华明军平芳红英丽敏静强磊洋勇杰涛斌超刚晓海燕霞丹萍玲志国春秋林峰浩宇佳颖琳雪梅兰'.split('');

export function personName(rand: () => number): string {
  const given = pick(rand, GIVEN) + (rand() < 0.6 ? pick(rand, GIVEN) : '');
  return pick(rand, SURNAMES) + given;
}

export function phone(rand: () => number): string {
  return `13${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
}
