import { z } from 'zod';
import { Lat, Lon, RegionCode } from './place';

/**
 * Categories of key persons (重点人员) a gridder visits (S3: at least once a month), each with the
 * visits a month it asks for by default. Those at risk of harming themselves or others, and those
 * under supervision, are visited twice.
 */
export const KEY_PERSON_CATEGORIES = {
  community_correction: { label: '社区矫正对象', visitsPerMonth: 2 },
  released: { label: '刑满释放人员', visitsPerMonth: 1 },
  mental_disorder: { label: '严重精神障碍患者', visitsPerMonth: 2 },
  drug_user: { label: '吸毒人员', visitsPerMonth: 2 },
  petitioner: { label: '重点信访人员', visitsPerMonth: 2 },
  elderly_alone: { label: '独居老人', visitsPerMonth: 2 },
  left_behind_child: { label: '留守儿童', visitsPerMonth: 1 },
  hardship: { label: '困难群众', visitsPerMonth: 1 },
  disabled: { label: '残疾人', visitsPerMonth: 1 },
} as const;
export type KeyPersonCategory = keyof typeof KEY_PERSON_CATEGORIES;
export const KeyPersonCategory = z.enum(Object.keys(KEY_PERSON_CATEGORIES) as [KeyPersonCategory]);

/** Visits a month: the column's bounds (016). */
export const VisitsPerMonth = z.number().int().min(1, '每月至少走访 1 次').max(31, '每月最多 31 次');

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character of an 18-digit resident ID (GB 11643-1999) for its first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** 身份证号: 18 characters, the last a check digit or X (upper-cased here). */
export const IdNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, '身份证号须为 18 位（末位可为 X）')
  .refine((s) => idCheckChar(s.slice(0, 17)) === s[17], '身份证号校验位不符');

/** A mobile number, or a fixed line with its area code. */
export const Phone = z.string().trim().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '电话须为 11 位手机号，或带区号的固定电话');

const KeyPersonFields = z.object({
  name: z.string().trim().min(1, '姓名不能为空').max(50),
  idNumber: IdNumber.nullable().optional(),
  phone: Phone.nullable().optional(),
  category: KeyPersonCategory,
  /** Default: the category's. */
  visitsPerMonth: VisitsPerMonth.optional(),
  address: z.string().trim().min(1, '地址不能为空').max(200),
  /** Where the person lives (WGS-84): the visit is measured from here, and it decides the grid. */
  lon: Lon,
  lat: Lat,
  note: z.string().trim().max(500).nullable().optional(),
});

export const KeyPersonInput = KeyPersonFields;
export type KeyPersonInput = z.infer<typeof KeyPersonInput>;

/** An edit: only the fields given change; a move gives both coordinates. */
export const KeyPersonPatch = KeyPersonFields.partial().superRefine((p, ctx) => {
  if (Object.values(p).every((v) => v === undefined)) ctx.addIssue({ code: 'custom', path: [], message: '没有要修改的内容' });
  if ((p.lon === undefined) !== (p.lat === undefined))
    ctx.addIssue({ code: 'custom', path: [p.lon === undefined ? 'lon' : 'lat'], message: '经度和纬度须同时填写' });
});
export type KeyPersonPatch = z.infer<typeof KeyPersonPatch>;

export const KeyPersonQuery = z.object({
  grid: RegionCode.optional(),
  category: KeyPersonCategory.optional(),
});
export type KeyPersonQuery = z.infer<typeof KeyPersonQuery>;

/** A key person as answered: name, ID number and phone masked, and the note withheld, unless `masked` is false. */
export interface KeyPerson {
  id: number;
  name: string;
  idNumber: string | null;
  phone: string | null;
  category: KeyPersonCategory;
  visitsPerMonth: number;
  address: string;
  lon: number;
  lat: number;
  gridCode: string;
  note: string | null;
  masked: boolean;
  updatedAt: string;
}
