import Link from 'next/link';

export default function Home() {
  return (
    <main className="home">
      <h1>联动 · 社会治理联动指挥中心</h1>
      <p>南浔区社会治理联动工作站：网格巡查、部门联动、闭环处置。</p>
      <nav>
        <Link href="/wall">指挥大屏</Link>
        <Link href="/console">指挥台（常务副站长）</Link>
        <Link href="/field">网格员移动端</Link>
        <Link href="/login">登录</Link>
      </nav>
    </main>
  );
}
