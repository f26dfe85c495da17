import { z } from 'zod';
import { Residency } from '../departments';
import { PERSON_ROLES, Role } from '../roles';
import { UnitKind } from '../units';
import { NewPassword, Username } from './auth';
import { ExternalSource } from './events';
import { SerialId } from './numeric';

/*
 * A district's own master data (issue 10, S5–S7): stations and the villages they cover, stationed
 * departments with their rotation and duty roster, people with their roles, accounts bound to a
 * person, units, device tokens, wall displays and source API keys. The administrator edits all of
 * it; a station's chief and deputy chief edit their own station's departments, roster, people,
 * units and devices. One schema per message, read by the server and the /admin page alike.
 */

const Name = z.string().trim().min(1, '名称不能为空').max(60, '名称最多 60 个字');
const Code = z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, '编码只能用字母、数字、_ 和 -，最多 32 位');
const RegionCode = z.string().regex(/^\d{6,20}$/, '须为行政区划代码（数字）');
const Lon = z.number({ error: '经度须为数字' }).min(73, '经度超出中国范围').max(136, '经度超出中国范围');
const Lat = z.number({ error: '纬度须为数字' }).min(3, '纬度超出中国范围').max(54, '纬度超出中国范围');
/** Mainland mobile or landline, digits with an optional leading + and dashes. */
export const Phone = z.string().trim().regex(/^\+?[0-9][0-9-]{5,19}$/, '电话号码格式不正确');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD');
const Iso = z.iso.datetime({ offset: true, error: '须为带时区的 ISO 时间' });

export const StationInput = z
  .object({
    code: Code,
    name: Name,
    /** The town (镇/街道) it belongs to. */
    townCode: RegionCode,
    lon: Lon,
    lat: Lat,
    /** The villages (村/社区) it covers; each belongs to one station at most. */
    villageCodes: z.array(RegionCode).min(1, '至少覆盖一个村（社区）').max(100),
  })
  .strict();
export type StationInput = z.infer<typeof StationInput>;
export const StationPatch = StationInput.partial().strict();

/** A department stationed at a station (S5 常驻 / 轮驻 / 联驻). */
export const StationDepartmentInput = z.object({ residency: Residency }).strict();

/** When a rotating department (轮驻) sits at the station. */
export const RotationInput = z
  .object({ department: z.string().min(1).max(40), startsAt: Iso, endsAt: Iso })
  .strict()
  .refine((r) => Date.parse(r.endsAt) > Date.parse(r.startsAt), { path: ['endsAt'], message: '结束时间须晚于开始时间' });

/**
 * Who of a department is on duty at the station on a day (值班表). Consultation invitations and
 * dispatch availability use it instead of "all the department's staff" when a day has a roster.
 */
export const RosterInput = z
  .object({ day: Day, department: z.string().min(1).max(40), personIds: z.array(SerialId).max(200) })
  .strict();
export type RosterInput = z.infer<typeof RosterInput>;

export const PersonRole = z.enum(PERSON_ROLES as unknown as [Role, ...Role[]]);
export const PersonRoleInput = z
  .object({
    role: PersonRole,
    /** Grid staff: the grid they look after; a village cadre: their village (交办 names it as co-handler, S12). */
    gridCode: RegionCode.nullish(),
  })
  .strict();

export const PersonInput = z
  .object({
    name: z.string().trim().min(1, '姓名不能为空').max(40, '姓名最多 40 个字'),
    phone: Phone.nullish(),
    stationId: SerialId.nullable(),
    /** Department staff: their department's code. */
    department: z.string().min(1).max(40).nullish(),
    /** None for district staff (their district role is on their account). */
    roles: z.array(PersonRoleInput).max(8),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.roles.some((r) => r.role === 'dept_staff') && !p.department)
      ctx.addIssue({ code: 'custom', path: ['department'], message: '部门人员须指定所属部门' });
  });
export type PersonInput = z.infer<typeof PersonInput>;

/** An account is always a person's (issue 10); its role is one of the person's, or a district role for district staff. */
export const AccountInput = z
  .object({
    personId: SerialId,
    username: Username,
    password: NewPassword,
    role: Role.exclude(['display']),
  })
  .strict();
export type AccountInput = z.infer<typeof AccountInput>;

export const AccountPatch = z
  .object({ disabled: z.boolean(), role: Role.exclude(['display']) })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: '没有要修改的字段' });
export const PasswordReset = z.object({ password: NewPassword }).strict();

/** How a unit moves: the dispatch proposal's ETA assumes its kind's average speed. */
export const Mobility = z.enum(['foot', 'vehicle']);
export const MOBILITY_LABEL: Record<z.infer<typeof Mobility>, string> = { foot: '步巡', vehicle: '车巡' };

export const UnitInput = z
  .object({
    code: Code,
    name: Name,
    kind: UnitKind,
    mobility: Mobility,
    stationId: SerialId,
    /** A person's unit (a gridder on patrol) … */
    personId: SerialId.nullish(),
    /** … or a team of a department (a patrol car), answered by the department's staff at the station. */
    department: z.string().min(1).max(40).nullish(),
    gridCode: RegionCode.nullish(),
  })
  .strict()
  .refine((u) => !!u.personId !== !!u.department, { path: ['personId'], message: '须指定一个人员，或（队伍）一个部门，二者选一' });
export type UnitInput = z.infer<typeof UnitInput>;

/**
 * The datum a device reports in (issue 12): WGS-84 from GNSS as is; GCJ-02 or BD-09 from trackers
 * and apps built on Chinese map SDKs, converted to WGS-84 on the way in (lib/live/datum.ts).
 */
export const DATUMS = ['wgs84', 'gcj02', 'bd09'] as const;
export const Datum = z.enum(DATUMS, { error: '坐标系须为 wgs84、gcj02 或 bd09' });
export type Datum = z.infer<typeof Datum>;

/** A device token reports one unit's positions, or any unit of a station as a gateway of another system. */
export const DeviceTokenInput = z
  .object({ name: Name, unitId: SerialId.nullable(), stationId: SerialId.nullable(), datum: Datum.default('wgs84') })
  .strict()
  .refine((d) => d.unitId !== null || d.stationId !== null, { path: ['unitId'], message: '须绑定一个单位，或（网关）一个工作站' });

/** A device's datum changed after it was issued (a tracker reconfigured). */
export const DeviceTokenPatch = z.object({ datum: Datum }).strict();

/** A wall screen: a station's, or (explicitly) the district's. */
export const DisplayInput = z.object({ name: Name, stationId: SerialId.nullable() }).strict();

/** A source system's key (S9 intake). */
/** The sources an administrator issues keys for: the systems that post events, and Open311 client applications (issue 14). */
export const API_KEY_SOURCES = [...ExternalSource.exclude(['simulator']).options, 'open311'] as const;
export const ApiKeyInput = z.object({ source: z.enum(API_KEY_SOURCES), name: Name }).strict();

/** What issuing a secret answers: the secret itself, shown once; only its hash is kept. */
export interface IssuedSecret {
  id: number;
  secret: string;
}
