import { z } from 'zod';
import { Role } from '../roles';

export const LoginInput = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const Me = z.object({
  /** The account's id: the field page finds its own row among a consultation's invitees by it. */
  accountId: z.number().int().positive(),
  name: z.string(),
  role: Role,
  roleLabel: z.string(),
  stationId: z.number().int().nullable(),
  home: z.enum(['/wall', '/console', '/field']),
});
export type Me = z.infer<typeof Me>;
