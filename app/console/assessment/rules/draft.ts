import type { ItemKind, RuleSetV1, StarBandV1 } from '@/lib/contracts/assessment';
import type { Issue } from '@/app/http';

/*
 * The 考评细则 editor's state: every box as the text typed, so a half-typed weight is shown as it
 * is and the server (lib/contracts/assessment.ts) names what is wrong with it, field by field
 * (items.3.formula, stars.1 …, issue 15 acceptance: bad input refused with the field named).
 */

export interface ItemDraft {
  code: string;
  name: string;
  kind: ItemKind;
  /** Indicator codes, separated by commas or spaces. */
  indicators: string;
  weight: string;
  formula: string;
  note: string;
}

export interface BandDraft {
  stars: number;
  min: string;
  max: string;
}

export interface RuleSetDraft {
  year: string;
  name: string;
  items: ItemDraft[];
  deductionCap: string;
  stars: BandDraft[];
}

export const EMPTY_ITEM: ItemDraft = { code: '', name: '', kind: 'score', indicators: '', weight: '', formula: '', note: '' };

/** A new version starts from the one it follows (the year's active version), named for the new year. */
export function draftOf(r: RuleSetV1, year = r.year): RuleSetDraft {
  return {
    year: String(year),
    name: year === r.year ? r.name : r.name.replace(String(r.year), String(year)),
    items: r.items.map((i) => ({ code: i.code, name: i.name, kind: i.kind, indicators: i.indicators.join(', '), weight: String(i.weight), formula: i.formula, note: i.note ?? '' })),
    deductionCap: String(r.deductionCap),
    stars: r.stars.map((b: StarBandV1) => ({ stars: b.stars, min: String(b.min), max: String(b.max) })),
  };
}

/** A box's text as a number when it reads as one; otherwise the text, for the server to refuse by name. */
const num = (text: string): number | string => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text);

/** The POST body (without its requestKey). */
export function bodyOf(d: RuleSetDraft): Record<string, unknown> {
  return {
    year: num(d.year),
    name: d.name,
    items: d.items.map((i) => ({
      code: i.code.trim(),
      name: i.name,
      kind: i.kind,
      indicators: i.indicators.split(/[\s,，、]+/).filter(Boolean),
      weight: num(i.weight),
      formula: i.formula,
      ...(i.note.trim() ? { note: i.note } : {}),
    })),
    deductionCap: num(d.deductionCap),
    stars: d.stars.map((b) => ({ stars: b.stars, min: num(b.min), max: num(b.max) })),
  };
}

/**
 * The refusal's issues by the field that shows them: 'body.items.3.formula' beside item 4's
 * formula, an indicator's own issue ('items.2.indicators.0') beside the item's indicator box. An
 * issue no field shows ('items' for a weight sum, 'stars' …) goes into `rest`, the form's line.
 */
export function issuesByField(issues: readonly Issue[], shown: ReadonlySet<string>): { fields: Record<string, string>; rest: string[] } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const i of issues) {
    const path = i.path.replace(/^body\.?/, '').replace(/^(items\.\d+\.indicators)\.\d+$/, '$1');
    if (shown.has(path)) fields[path] = fields[path] ? `${fields[path]}；${i.message}` : i.message;
    else rest.push(path ? `${path}：${i.message}` : i.message);
  }
  return { fields, rest };
}

/** The field names the editor shows for a draft, for issuesByField. */
export function shownFields(d: RuleSetDraft): Set<string> {
  const names = ['year', 'name', 'items', 'deductionCap', 'stars'];
  d.items.forEach((_, i) => ['code', 'name', 'kind', 'indicators', 'weight', 'formula', 'note'].forEach((f) => names.push(`items.${i}.${f}`)));
  d.stars.forEach((_, i) => ['', '.stars', '.min', '.max'].forEach((f) => names.push(`stars.${i}${f}`)));
  return new Set(names);
}
