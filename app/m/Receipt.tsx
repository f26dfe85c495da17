'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatCode, type CitizenReceiptV1 } from '@/lib/contracts/citizen';
import s from './m.module.css';

/** After sending: the tracking code big, the 查询密码, a copy button; the phone has remembered both (我的诉求). */
export default function Receipt({ receipt, onAnother }: { receipt: CitizenReceiptV1; onAnother: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const code = formatCode(receipt.code);

  async function copy() {
    const text = `查询码 ${code}，查询密码 ${receipt.pin}`;
    try {
      await navigator.clipboard.writeText(text);
      setCopied('已复制');
    } catch {
      // No clipboard over plain http: the resident can still press on the code and copy it.
      setCopied('无法自动复制，请长按查询码手动复制');
    }
  }

  return (
    <section className={`${s.card} ${s.receipt}`} data-testid="m-receipt">
      <h2>已提交成功</h2>
      {receipt.merged && <p className={s.notice}>您已提交过相同内容，已合并处理，以下是原查询码。</p>}
      <p className={s.hint}>查询码</p>
      <p className={s.code} data-testid="m-code">{code}</p>
      <p className={s.hint}>查询密码（凭电话号码查询时使用）</p>
      <p className={s.pin} data-testid="m-pin">{receipt.pin}</p>
      <button type="button" className={s.btn} onClick={() => void copy()} data-testid="m-copy">
        复制查询码
      </button>
      {copied && <p className={s.hint} role="status">{copied}</p>}
      <p className={s.hint}>本机已记住此查询码，可在首页“我的诉求”中查看。</p>
      <Link href={`/m/track/${receipt.code}`} className={`${s.btn} ${s.primary}`} data-testid="m-receipt-track">
        查看办理进度
      </Link>
      <button type="button" className={s.link} onClick={onAnother}>
        再提交一件
      </button>
    </section>
  );
}
