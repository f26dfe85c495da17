import { z } from 'zod';
import { Role } from '../roles';
import { SerialId } from './numeric';

export const LoginInput = z.object({
  // No control characters: they are in no username, and PostgreSQL refuses a NUL outright.
  username: z.string().trim().min(1, '请输入用户名').max(64).regex(/^[^\u0000-\u001f\u007f]+$/, '用户名含有无效字符'),
  password: z.string().min(1, '请输入密码').max(256),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const Me = z.object({
  /** The account's id: the field page finds its own row among a consultation's invitees by it. */
  accountId: SerialId,
  name: z.string(),
  role: Role,
  roleLabel: z.string(),
  stationId: SerialId.nullable(),
  home: z.enum(['/wall', '/console', '/field']),
});
export type Me = z.infer<typeof Me>;

/** A username: lower-case letters, digits and . _ - (it is typed on phones and printed on rosters). */
export const Username = z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, '用户名须为 3–32 位小写字母、数字或 . _ -');
/** A password a person chooses: long rather than complicated (NIST SP 800-63B). */
export const NewPassword = z.string().min(10, '密码至少 10 个字符').max(256, '密码至多 256 个字符');

/** The first administrator of an empty production system, created through the one-time setup link. */
export const SetupInput = z.object({
  token: z.string().min(16).max(100),
  username: Username,
  password: NewPassword,
  displayName: z.string().trim().min(1, '请输入姓名').max(40),
}).strict();
export type SetupInput = z.infer<typeof SetupInput>;
