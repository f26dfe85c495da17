import { z } from 'zod';
import { CitizenFeedbackV1, CitizenQuestionV1, CitizenReportV1, formatCode, type CitizenReceiptV1, type CitizenSubmissionV1 } from '@/lib/contracts/citizen';
import { deviceIdOf, requestKeyOf, SUBCATEGORY_ATTRIBUTE } from '@/lib/open311/georeport';
import type { XmlValue } from '@/lib/open311/xml';
import type { Open311Key } from '../auth/apikey';
import { citizenLimits } from '../citizen/limits';
import { submitCitizenRequest } from '../citizen/submit';
import type { AppContext } from '../context';
import { DomainError, invalid } from '../errors';
import type { Open311Service } from './services';

/**
 * POST requests.{format} (issue 14 point 2): the spec's form onto CitizenSubmissionV1, through the
 * citizens' channel's one writer (server/citizen/submit.ts), so an Open311 request is an event in
 * the station's queue like one from /m (S9) and its code is the service_request_id.
 */

export const bad = (field: string, message: string) => new DomainError('invalid', 'invalid', `${field}: ${message}`, [{ path: field, message }]);
export const missing = (field: string) => bad(field, '未提供');

/** What the form says beyond the submission: kept on the request (details.open311), never answered to anyone. */
const Extras = z.object({
  email: z.email('不是有效的电子邮件地址').max(200).optional(),
  account_id: z.string().max(200).optional(),
  device_id: z.string().max(200).optional(),
  // Kept, never fetched: the station is air-gapped, and a URL from outside is not ours to follow.
  media_url: z.url({ protocol: /^https?$/, error: '须为 http(s) 地址' }).max(2000).optional(),
});

/** Optional means "same as absent, when empty" (spec, Optional Arguments). */
const field = (form: URLSearchParams, name: string): string | undefined => {
  const v = form.get(name)?.trim();
  return v ? v : undefined;
};

function numberField(form: URLSearchParams, name: 'lat' | 'long'): number | undefined {
  const raw = field(form, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^[+-]?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) throw bad(name, `须为十进制度数（WGS-84），收到 “${raw.slice(0, 30)}”`);
  return n;
}

/** attribute[code]=value (and attribute[code][]=v for lists): the values by code. */
function attributesOf(form: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of form) {
    const m = /^attribute\[([^\]]{1,100})\](?:\[\])?$/.exec(k);
    if (m && v.trim()) (out[m[1]] ??= []).push(v.trim());
  }
  return out;
}

export interface Filed {
  receipt: CitizenReceiptV1;
  created: boolean;
  answer: Record<string, XmlValue>[];
}

export async function fileRequest(app: AppContext, key: Open311Key, service: Open311Service, form: URLSearchParams, ip: string): Promise<Filed> {
  const extras = Extras.safeParse({ email: field(form, 'email'), account_id: field(form, 'account_id'), device_id: field(form, 'device_id'), media_url: field(form, 'media_url') });
  if (!extras.success) throw invalid(extras.error);
  const lat = numberField(form, 'lat');
  const lon = numberField(form, 'long');
  if ((lat === undefined) !== (lon === undefined)) throw missing(lat === undefined ? 'lat' : 'long');
  const address = field(form, 'address_string');
  const addressId = field(form, 'address_id');
  // Our addresses are the villages (社区): address_id is a village's 12-digit statistical code.
  if (addressId !== undefined && !/^\d{12}$/.test(addressId)) throw bad('address_id', '须为村（社区）的 12 位统计代码');
  if (lat === undefined && !address && !addressId) throw bad('lat', '须提供位置：lat 与 long，或 address_string，或 address_id');

  const attributes = attributesOf(form);
  const sub = attributes[SUBCATEGORY_ATTRIBUTE]?.[0];
  if (sub !== undefined && !service.subcategories.some((c) => c.code === sub)) throw bad(`attribute[${SUBCATEGORY_ATTRIBUTE}]`, `服务 ${service.code} 没有子类 ${sub}`);

  const first = field(form, 'first_name');
  const last = field(form, 'last_name');
  // A Chinese name is written family name first.
  const name = [last, first].filter(Boolean).join('') || undefined;
  const phone = field(form, 'phone');
  const requestKey = requestKeyOf(key.id, form);
  const deviceId = deviceIdOf(key.id, { deviceId: extras.data.device_id, accountId: extras.data.account_id, email: extras.data.email, phone }, requestKey);
  // The spec makes description optional; the station needs words, so the service's name stands in.
  const description = field(form, 'description') ?? service.name;
  const common = {
    v: 1 as const, idempotencyKey: requestKey, deviceId, name, phone,
    ...(lat !== undefined && lon !== undefined ? { location: { lon, lat } } : {}),
    ...(address ? { address } : {}),
    ...(addressId ? { villageCode: addressId } : {}),
    description,
  };
  // Each kind against its own schema: a union's refusal would not name the field at fault.
  const parsed = service.kind === 'report'
    ? CitizenReportV1.safeParse({ ...common, kind: 'report', category: service.category, ...(sub ? { subcategory: sub } : {}), photos: [] })
    : service.kind === 'question'
      ? CitizenQuestionV1.safeParse({ ...common, kind: 'question' })
      : CitizenFeedbackV1.safeParse({ ...common, kind: service.kind });
  if (!parsed.success) throw invalid(parsed.error);

  const others = Object.fromEntries(Object.entries(attributes).filter(([code]) => code !== SUBCATEGORY_ATTRIBUTE));
  const details = { open311: { ...extras.data, ...(Object.keys(others).length ? { attributes: others } : {}) } };
  // Review M7: the key's budget was spent above; here a resident of the client application (its
  // device_id, account_id, email or phone) gets the budget of a phone on /m. Not the address's: a
  // city platform files every resident's request from one server.
  await citizenLimits(app.config).submitForClient(deviceId);
  const { receipt, created } = await submitCitizenRequest(app, 'open311', parsed.data satisfies CitizenSubmissionV1, { ip, apiKeyId: key.id, apiKeyName: key.name, details });
  // Audited in the request's own commit (server/citizen/submit.ts: role 'open311', the key's name).
  const notice = receipt.merged
    ? `同一问题已有人反映，已合并处理；查询码 ${formatCode(receipt.code)}。`
    : `已收到，查询码 ${formatCode(receipt.code)}；工作站将按时限受理并答复。`;
  return { receipt, created, answer: [{ service_request_id: receipt.code, service_notice: notice, account_id: extras.data.account_id ?? null }] };
}
