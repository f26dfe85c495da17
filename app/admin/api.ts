import { client, HttpError } from '@/app/http';

/**
 * The desks' API (系统管理, 审计日志, 本站管理): a lapsed session reloads the page, so its guard
 * sends the user to log in and back here.
 */
export const api = client(() => window.location.reload());

/** What a failed change shows: each field's message beside it, and the rest in one line. */
export interface FormErrors {
  fields: Record<string, string>;
  message: string;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: '' };

/**
 * Issue paths such as 'body.acceptRed' or 'params.day' become field names ('acceptRed', 'day');
 * `shown` names the fields the form displays, so an issue about any other still reaches the user.
 */
export function formErrors(err: unknown, shown: readonly string[]): FormErrors {
  if (!(err instanceof HttpError)) return { fields: {}, message: err instanceof Error ? err.message : String(err) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const i of err.issues) {
    const name = i.path.split('.').slice(1).join('.');
    if (shown.includes(name)) fields[name] ??= i.message;
    else rest.push(i.message);
  }
  const message = err.issues.length === 0 ? err.message : rest.length > 0 ? rest.join('；') : err.status === 400 ? '请检查标出的字段' : '';
  return { fields, message };
}
