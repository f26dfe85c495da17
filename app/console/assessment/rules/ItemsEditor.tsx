'use client';

import { ITEM_KIND_LABEL, ITEM_KINDS, type ItemKind } from '@/lib/contracts/assessment';
import admin from '@/app/admin/admin.module.css';
import { FieldError } from '@/app/admin/Field';
import styles from '../assessment.module.css';
import { EMPTY_ITEM, type ItemDraft } from './draft';

type Props = { items: ItemDraft[]; errors: Record<string, string>; onChange: (items: ItemDraft[]) => void };

/** The items as an editable table: a row per item, added and removed freely; each box carries its own refusal. */
export default function ItemsEditor({ items, errors, onChange }: Props) {
  const set = (i: number, change: Partial<ItemDraft>) => onChange(items.map((it, n) => (n === i ? { ...it, ...change } : it)));
  const box = (i: number, field: keyof ItemDraft, label: string, wide = false) => (
    <td>
      <input
        className={admin.input}
        aria-label={`第 ${i + 1} 项${label}`}
        data-testid={`items.${i}.${field}`}
        value={items[i][field]}
        onChange={(e) => set(i, { [field]: e.target.value })}
        aria-invalid={Boolean(errors[`items.${i}.${field}`])}
        size={wide ? 28 : field === 'weight' ? 5 : 12}
      />
      <FieldError message={errors[`items.${i}.${field}`]} />
    </td>
  );
  return (
    <>
      <table className={`${admin.table} ${styles.editor}`} data-testid="items-editor">
        <thead><tr><th>#</th><th>编码</th><th>考评项</th><th>类型</th><th>指标（逗号分隔）</th><th>分值</th><th>计分公式</th><th>说明</th><th /></tr></thead>
        <tbody>
          {items.map((it, i) => (
            <tr key={i}>
              <td className={admin.num}>{i + 1}</td>
              {box(i, 'code', '编码')}
              {box(i, 'name', '名称')}
              <td>
                <select className={admin.select} aria-label={`第 ${i + 1} 项类型`} value={it.kind} onChange={(e) => set(i, { kind: e.target.value as ItemKind })}>
                  {ITEM_KINDS.map((k) => <option key={k} value={k}>{ITEM_KIND_LABEL[k]}</option>)}
                </select>
                <FieldError message={errors[`items.${i}.kind`]} />
              </td>
              {box(i, 'indicators', '指标')}
              {box(i, 'weight', '分值')}
              {box(i, 'formula', '公式', true)}
              {box(i, 'note', '说明')}
              <td><button type="button" className={`${admin.button} ${admin.danger}`} onClick={() => onChange(items.filter((_, n) => n !== i))} aria-label={`删除第 ${i + 1} 项`}>删除</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError message={errors.items} />
      <p><button type="button" className={admin.button} onClick={() => onChange([...items, { ...EMPTY_ITEM }])}>添加考评项</button></p>
    </>
  );
}
