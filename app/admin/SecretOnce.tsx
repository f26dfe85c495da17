'use client';

import { useState } from 'react';
import styles from './admin.module.css';

/**
 * A secret the server will never show again (only its hash is kept): shown here once, with a copy
 * button, until the user closes it.
 */
export default function SecretOnce({ label, value, onClose }: { label: string; value: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard outside https or without permission: select it so Ctrl+C works.
      const box = document.getElementById('secret-once') as HTMLInputElement | null;
      box?.select();
    }
  }

  return (
    <div className={styles.secret} role="status" data-testid="secret-once">
      <strong>{label}</strong>
      <p className={styles.warning}>只显示这一次：关闭后无法再次查看，请立即复制并妥善保存。遗失后只能吊销并重新签发。</p>
      <div className={styles.secretRow}>
        <input id="secret-once" className={`${styles.input} ${styles.secretValue}`} readOnly value={value} data-testid="secret-value" onFocus={(e) => e.target.select()} />
        <button type="button" className={`${styles.button} ${styles.primary}`} onClick={() => void copy()}>{copied ? '已复制' : '复制'}</button>
        <button type="button" className={styles.button} onClick={onClose}>我已保存，关闭</button>
      </div>
    </div>
  );
}
